import { withTransaction } from '../db/pool';
import { claimRunFile, setRunFileStatus } from '../db/queries/run-files';
import { clearFileProblems, insertProblems } from '../db/queries/reports';
import { changedSinceListing, hasChanged, skippedFileProblem } from '../domain/files';
import type { ListedFileJson } from '../domain/runs';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';

export function createClaimFileActivity(deps: ActivityDeps) {
  return {
    /** Registers the file for this run, unless its size or mtime moved since listing (still being written). */
    async claimFile({ runId, ordinal, file }: { runId: string; ordinal: number; file: ListedFileJson }): Promise<{ runFileId: string | null }> {
      const context = await loadRunContext(deps, runId);
      const listed = { name: file.name, size: file.size, modifiedAt: new Date(file.modifiedAt) };
      const now = await withRunSource(deps, context, (source) => source.stat(file.name));
      return withTransaction(deps.db, async (tx) => {
        const runFile = await claimRunFile(tx, { runId, ordinal, ...listed });
        await clearFileProblems(tx, runFile.id);
        if (hasChanged(listed, now)) {
          await setRunFileStatus(tx, runFile.id, 'skipped');
          await insertProblems(tx, runId, runFile.id, null, [skippedFileProblem(changedSinceListing(file.name))]);
          return { runFileId: null };
        }
        return { runFileId: runFile.id };
      });
    },
  };
}
