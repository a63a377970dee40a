import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where the one-machine setup keeps its state: `DATA_DIR`, else `./.data`. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.DATA_DIR || '.data');
}

export async function ensureDataDir(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  return dataDir;
}

/** 32 random bytes as 64 hex digits: the shape SECRETS_KEY takes. */
export function generateHexKey(): string {
  return randomBytes(32).toString('hex');
}

/** A URL-safe random token, e.g. for an API key or a password. */
export function generateToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Reads `<dataDir>/<fileName>`, or creates it with `generate()` (mode 0600) on first use,
 * so dev secrets stay the same across starts.
 */
export async function loadOrCreateSecret(dataDir: string, fileName: string, generate: () => string): Promise<string> {
  const path = join(dataDir, fileName);
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await ensureDataDir(dataDir);
  const value = generate();
  // 'wx' fails if another start created the file meanwhile; then that one wins.
  try {
    await writeFile(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(path, 'utf8')).trim();
  }
}
