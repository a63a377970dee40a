import { withTransaction } from '../db/pool';
import { claimRunFile, setRunFileStatus } from '../db/queries/run-files';
import { findListedFile } from '../db/queries/run-listing';
import { clearFileProblems, insertProblems } from '../db/queries/reports';
import { fileAccessProblem } from '../domain/file-access-problems';
import { changedSinceListing, hasChanged, skippedFileProblem } from '../domain/files';
import type { Problem } from '../domain/problems';
import type { RemoteFile } from '../sources/file-source';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

export function createClaimFileActivity(deps: ActivityDeps) {
  return {
    /**
     * Registers the file for this run, unless its size or mtime moved since listing (still being written)
     * or the server refuses to describe it (a file problem, e.g. UNSAFE_FILE_NAME: it is not staged).
     */
    async claimFile({ runId, ordinal }: { runId: string; ordinal: number }): Promise<{ runFileId: string | null }> {
      const context = await loadRunContext(deps, runId);
      const listed = await findListedFile(deps.db, runId, ordinal);
      if (!listed) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run\'s listing has no such file.');
      const file = { name: listed.name };
      let now: RemoteFile | undefined;
      let problem: Problem | undefined;
      try {
        now = await withRunSource(deps, context, (source) => source.stat(file.name));
      } catch (error) {
        problem = fileAccessProblem(error, file.name, 'read');
        if (!problem) throw error;
      }
      return withTransaction(deps.db, async (tx) => {
        const runFile = await claimRunFile(tx, { runId, ordinal, ...listed });
        await clearFileProblems(tx, runFile.id);
        if (problem) {
          // taken but unusable (e.g. an unsafe name): the file's problem, and the run goes on without it
          await setRunFileStatus(tx, runFile.id, 'failed');
          await insertProblems(tx, runId, runFile.id, null, [problem]);
          return { runFileId: null };
        }
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
