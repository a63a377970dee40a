import { UI } from '../paths';

export function SignInForm(props: { error?: string }) {
  return (
    <form method="post" action={`${UI}/sign-in`} class="card narrow">
      <p>Paste the API key your district's platform admin issued to you. The page acts with that key's rights.</p>
      {props.error && <p class="error-summary" role="alert" id="key-error">{props.error}</p>}
      <div class={props.error ? 'field invalid' : 'field'}>
        <label for="f-key">API key</label>
        <input id="f-key" name="key" type="password" required autocomplete="off" aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'key-error' : undefined} />
      </div>
      <button type="submit">Sign in</button>
    </form>
  );
}
