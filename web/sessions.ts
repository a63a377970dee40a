import { Hono } from 'hono';
import { authenticate, type Principal } from '../api/auth';
import { ApiError } from '../api/errors';
import type { ApiDeps, AppEnv } from '../api/env';
import { deleteEndedWebSessions, deleteWebSession, insertWebSession, touchWebSession } from '../db/queries/web-sessions';
import { seal, SecretsError, unseal } from '../security/secrets';
import { newSessionId, sealedKeyContext, sessionIdHash } from './session-tokens';

export type KeyCheck = { ok: true; principal: Principal } | { ok: false; message: string };

/**
 * Asks the API's own authentication who a key is: the same middleware every API request passes, so an
 * unknown, revoked or expired key is refused here exactly as there.
 */
export function keyChecker(deps: ApiDeps): (key: string) => Promise<KeyCheck> {
  const probe = new Hono<AppEnv>();
  probe.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  probe.use('*', authenticate());
  probe.get('/', (c) => c.json(c.var.principal));
  probe.onError((error, c) => {
    if (error instanceof ApiError) return c.json({ message: error.message }, error.status);
    throw error;
  });
  return async (key) => {
    const res = await probe.request('/', { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as Principal | { message: string };
    return res.ok ? { ok: true, principal: body as Principal } : { ok: false, message: (body as { message: string }).message };
  };
}

export interface OpenSession {
  key: string;
  idHash: Buffer;
}

/** Starts a session for a key the API accepted; returns the id for the cookie. */
export async function startSession(deps: ApiDeps, key: string, principal: Principal): Promise<string> {
  const { idleMinutes, maxHours } = deps.config.webSessions;
  await deleteEndedWebSessions(deps.db, idleMinutes);
  const id = newSessionId();
  const idHash = sessionIdHash(id);
  await insertWebSession(deps.db, {
    idHash,
    apiKeyId: principal.kind === 'district' ? principal.keyId : null,
    districtId: principal.kind === 'district' ? principal.districtId : null,
    sealedKey: seal(deps.config.secretsKeys.current, key, sealedKeyContext(idHash)),
    maxAgeMinutes: maxHours * 60,
  });
  return id;
}

/** The session an id names, if it has not ended; its use counts as activity. */
export async function resumeSession(deps: ApiDeps, id: string): Promise<OpenSession | undefined> {
  const idHash = sessionIdHash(id);
  const stored = await touchWebSession(deps.db, idHash, deps.config.webSessions.idleMinutes);
  if (!stored) return undefined;
  try {
    return { key: unseal(deps.config.secretsKeys, stored.sealedKey, sealedKeyContext(idHash)), idHash };
  } catch (error) {
    // sealed under a SECRETS_KEY this server no longer has: the admin signs in again
    if (!(error instanceof SecretsError)) throw error;
    await deleteWebSession(deps.db, idHash);
    return undefined;
  }
}

export async function endSession(deps: ApiDeps, idHash: Buffer): Promise<void> {
  await deleteWebSession(deps.db, idHash);
}
