import type { Child } from 'hono/jsx';

/** A field's id and its error's id, from its form name (`connection.host` → `f-connection-host`). */
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
const errorId = (name: string) => `${fieldId(name)}-error`;
const hintId = (name: string) => `${fieldId(name)}-hint`;

export interface FieldState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

interface FieldProps {
  name: string;
  label: string;
  state: FieldState;
  hint?: Child;
  required?: boolean;
  /** `other.field=value1|value2`: the page's script shows the field only while that select has one of the values. */
  showWhen?: string;
}

/** The ids a field's aria-describedby names: its hint and, when the API refused it, its error. */
function describedBy(props: FieldProps): string | undefined {
  const ids = [props.hint ? hintId(props.name) : '', props.state.errors[props.name] ? errorId(props.name) : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Notes(props: FieldProps) {
  const error = props.state.errors[props.name];
  return (
    <>
      {props.hint && <span class="hint" id={hintId(props.name)}>{props.hint}</span>}
      {error && <span class="error" id={errorId(props.name)}>{error}</span>}
    </>
  );
}

export function TextField(props: FieldProps & { type?: string; autocomplete?: string; inputmode?: string }) {
  const invalid = Boolean(props.state.errors[props.name]);
  return (
    <div class={invalid ? 'field invalid' : 'field'} data-show-when={props.showWhen}>
      <label for={fieldId(props.name)}>{props.label}</label>
      <input
        id={fieldId(props.name)}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.state.values[props.name] ?? ''}
        required={props.required}
        autocomplete={props.autocomplete ?? 'off'}
        inputmode={props.inputmode as never}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      />
      <Notes {...props} />
    </div>
  );
}

/**
 * A password, private key or passphrase: never filled in. "Set" when one is stored; left blank, the stored
 * one is kept.
 */
export function SecretField(props: FieldProps & { isSet: boolean; multiline?: boolean }) {
  const invalid = Boolean(props.state.errors[props.name]);
  const hint = props.isSet ? 'Set. Leave blank to keep it; type a new one to replace it.' : props.hint ?? 'Not set.';
  const withHint = { ...props, hint };
  const common = {
    id: fieldId(props.name),
    name: props.name,
    'aria-invalid': invalid ? 'true' : undefined,
    'aria-describedby': describedBy(withHint),
  };
  return (
    <div class={invalid ? 'field invalid' : 'field'} data-show-when={props.showWhen}>
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.multiline ? <textarea {...common} rows={4} autocomplete="off" spellcheck={false}></textarea> : <input {...common} type="password" value="" autocomplete="new-password" />}
      <Notes {...withHint} />
    </div>
  );
}

export function SelectField(props: FieldProps & { options: readonly (readonly [string, string])[] }) {
  const invalid = Boolean(props.state.errors[props.name]);
  const current = props.state.values[props.name] ?? '';
  return (
    <div class={invalid ? 'field invalid' : 'field'} data-show-when={props.showWhen}>
      <label for={fieldId(props.name)}>{props.label}</label>
      <select id={fieldId(props.name)} name={props.name} aria-invalid={invalid ? 'true' : undefined} aria-describedby={describedBy(props)}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === current}>{text}</option>
        ))}
      </select>
      <Notes {...props} />
    </div>
  );
}

export function CheckboxField(props: FieldProps) {
  const invalid = Boolean(props.state.errors[props.name]);
  return (
    <div class={invalid ? 'field check invalid' : 'field check'} data-show-when={props.showWhen}>
      <input
        id={fieldId(props.name)}
        name={props.name}
        type="checkbox"
        value="on"
        checked={props.state.values[props.name] === 'on'}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      />
      <label for={fieldId(props.name)}>{props.label}</label>
      <Notes {...props} />
    </div>
  );
}

export function TextAreaField(props: FieldProps & { rows?: number }) {
  const invalid = Boolean(props.state.errors[props.name]);
  return (
    <div class={invalid ? 'field invalid' : 'field'} data-show-when={props.showWhen}>
      <label for={fieldId(props.name)}>{props.label}</label>
      <textarea id={fieldId(props.name)} name={props.name} rows={props.rows ?? 3} aria-invalid={invalid ? 'true' : undefined} aria-describedby={describedBy(props)}>
        {props.state.values[props.name] ?? ''}
      </textarea>
      <Notes {...props} />
    </div>
  );
}

/** The API's refusal as a whole: its sentence, and the details no field of this form shows. */
export function ErrorSummary(props: { error?: { code: string; message: string; details: { field?: string; message: string }[] }; shown?: string[] }) {
  if (!props.error) return null;
  const rest = props.error.details.filter((d) => !d.field || !(props.shown ?? []).includes(d.field));
  return (
    <div class="error-summary" role="alert">
      <p>
        <strong>{props.error.code}</strong>: {props.error.message}
      </p>
      {rest.length > 0 && (
        <ul>
          {rest.map((d) => (
            <li>{d.field ? `${d.field}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A wide table's frame: it scrolls sideways at 200% zoom, and keyboard users can focus it to scroll. */
export function Scroll(props: { label: string; children: Child }) {
  return (
    <div class="scroll" tabindex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
