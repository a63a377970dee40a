import ssh2, { type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type KeyboardInteractiveCallback, type Prompt } from 'ssh2';

export interface LoginCredentials {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/**
 * Picks each login method at most once and only among those the server still offers, so a wrong password
 * counts once against the account's lockout policy: key first, then password, then keyboard-interactive
 * (answered with the password) only on servers that take no plain password, as PAM-only servers do.
 */
export function authHandlerFor(credentials: LoginCredentials): AuthHandlerMiddleware {
  const { username, password, privateKey, passphrase } = credentials;
  const candidates: AnyAuthMethod[] = [];
  if (privateKey !== undefined) candidates.push({ type: 'publickey', username, key: privateKey, ...(passphrase !== undefined ? { passphrase } : {}) });
  if (password !== undefined) {
    candidates.push({ type: 'password', username, password });
    candidates.push({ type: 'keyboard-interactive', username, prompt: answerWithPassword(password) });
  }
  const tried = new Set<AuthenticationType>();

  return (methodsLeft, _partialSuccess, next) => {
    // ssh2 passes null before the first attempt; 'none' asks the server which methods it offers.
    if (!methodsLeft) return next({ type: 'none', username });
    const offered = new Set(methodsLeft);
    const choice = candidates.find(
      (method) =>
        offered.has(method.type) &&
        !tried.has(method.type) &&
        !(method.type === 'keyboard-interactive' && (offered.has('password') || tried.has('password'))),
    );
    if (!choice) return next(NO_MORE_METHODS);
    tried.add(choice.type);
    next(choice);
  };
}

/** ssh2 takes `false` as "give up"; @types/ssh2 does not list it. */
const NO_MORE_METHODS = false as unknown as AnyAuthMethod;

/** Answers hidden prompts (e.g. PAM's "Password:") with the password, and nothing that would be echoed. */
function answerWithPassword(password: string) {
  return (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
    finish(prompts.every((prompt) => !prompt.echo) ? prompts.map(() => password) : []);
  };
}

/** Why the private key cannot be used (bad format, wrong or missing passphrase), found before connecting. */
export function privateKeyProblem({ privateKey, passphrase }: LoginCredentials): Error | undefined {
  if (privateKey === undefined) return undefined;
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  return parsed instanceof Error ? parsed : undefined;
}
