import { ConnectionError } from '../domain/connection-errors';
import type { TestConnectionResult } from '../domain/runs';
import { findImportOrFail, openSource } from './context';
import type { ActivityDeps } from './deps';

const MAX_LISTED = 500;

export function createTestConnectionActivity(deps: ActivityDeps) {
  return {
    /** Connects, checks trust and the directory, and lists it. Failures are returned as data: the admin reads them. */
    async testConnection({ importId }: { importId: string }): Promise<TestConnectionResult> {
      // only the import and its connection: Test Connection needs no mapping or other kind settings
      const imp = await findImportOrFail(deps, importId);
      const started = Date.now();
      try {
        const source = await openSource(deps, imp, 20_000);
        try {
          const files = (await source.list())
            .sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime())
            .slice(0, MAX_LISTED)
            .map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifiedAt.toISOString() }));
          const session = source.smbSession ? await source.smbSession() : undefined;
          return {
            ok: true,
            latencyMs: Date.now() - started,
            files,
            fingerprint: source.fingerprint ?? null,
            ...(source.keyType ? { keyType: source.keyType } : {}),
            ...(session ? { session } : {}),
          };
        } finally {
          await source.close();
        }
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error;
        return {
          ok: false,
          latencyMs: Date.now() - started,
          error: {
            code: error.code,
            message: error.message,
            ...(error.fingerprint ? { fingerprint: error.fingerprint } : {}),
            ...(error.keyType ? { keyType: error.keyType } : {}),
          },
        };
      }
    },
  };
}
