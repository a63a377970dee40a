import { withTransaction } from '../db/pool';
import { findRunFile, recordImportedFile, setRunFileNotRenamed, setRunFileStatus } from '../db/queries/run-files';
import { clearFileProblems, insertProblems } from '../db/queries/reports';
import { findRun } from '../db/queries/runs';
import { clearStagedRows } from '../db/queries/staging';
import { deleteFileContinuation, saveFileContinuation } from '../db/queries/file-continuations';
import { ConnectionError } from '../domain/connection-errors';
import { fileAccessProblem } from '../domain/file-access-problems';
import { processedName } from '../domain/files';
import type { FileSource } from '../sources/file-source';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import type { StageOutcome } from './stage-file';

export function createFinishFileActivity(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * After a real run the file is renamed P_<stem>_<UTC timestamp><ext> so it is never taken again;
     * a failed file stays in place; a dry run renames nothing. A rename the server refuses fails the file
     * (FILE_NOT_RENAMED), not the run: its rows stay applied and its content is recorded, so a later run reports it a duplicate.
     * A file the row cap stopped part way is neither renamed nor recorded: its continuation is saved for the next run.
     */
    async finishFile({ runFileId, outcome }: { runFileId: string; outcome: StageOutcome }): Promise<void> {
      const runFile = await findRunFile(deps.db, runFileId);
      if (!runFile) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run file record is missing.');
      const run = (await findRun(deps.db, runFile.runId))!;
      const finalStatus = outcome === 'ready' ? 'done' : outcome;
      if (run.mode === 'test' || outcome === 'failed') {
        await withTransaction(deps.db, async (tx) => {
          await clearStagedRows(tx, runFileId);
          await setRunFileStatus(tx, runFileId, finalStatus);
        });
        return;
      }
      const context = await loadRunContext(deps, run.id);
      if (outcome === 'ready' && runFile.rowsAfter > 0 && runFile.sha256) {
        // the row cap stopped it part way: it stays in place, unrecorded, and the next run goes on from here
        await withTransaction(deps.db, async (tx) => {
          await saveFileContinuation(tx, context.importId, run.id, runFile.name, {
            size: Number(runFile.size),
            modifiedAt: new Date(runFile.modifiedAt),
            sha256: runFile.sha256!,
            rowsDone: runFile.rowsBefore + runFile.rows,
          });
          await clearStagedRows(tx, runFileId);
          await setRunFileStatus(tx, runFileId, finalStatus);
        });
        return;
      }
      if (outcome === 'ready') await deleteFileContinuation(deps.db, context.importId, runFile.name);
      if (outcome === 'ready' && runFile.sha256) {
        await recordImportedFile(deps.db, { importId: context.importId, sha256: runFile.sha256, name: runFile.name, runId: run.id });
      }
      const { target, notRenamed } = await withRunSource(deps, context, async (source) => {
        // the target is fixed before renaming, so a retry after a lost reply recognises its own rename
        let target = runFile.renamedTo;
        if (!target) {
          target = await unusedProcessedName(source, runFile.name, now());
          await setRunFileStatus(deps.db, runFileId, runFile.status, target);
        }
        try {
          await source.rename(runFile.name, target);
          return { target, notRenamed: undefined };
        } catch (error) {
          const done = error instanceof ConnectionError && !(await source.stat(runFile.name)) && (await source.stat(target));
          if (done) return { target, notRenamed: undefined };
          const problem = fileAccessProblem(error, runFile.name, 'rename');
          if (!problem) throw error;
          return { target, notRenamed: problem };
        }
      });
      if (notRenamed) {
        await withTransaction(deps.db, async (tx) => {
          await clearStagedRows(tx, runFileId);
          await clearFileProblems(tx, runFileId);
          await insertProblems(tx, run.id, runFileId, null, [notRenamed]);
          await setRunFileNotRenamed(tx, runFileId);
        });
        return;
      }
      await withTransaction(deps.db, async (tx) => {
        await clearStagedRows(tx, runFileId);
        await setRunFileStatus(tx, runFileId, finalStatus, target);
      });
    },
  };
}

/** Later seconds tried when a processed name is taken: a file of the same name processed in the same second. */
const PROCESSED_NAME_TRIES = 60;

/**
 * `processedName` for the first second from `at` whose name the directory does not hold yet: two runs of an import
 * can take a file of the same name within one second (a second upload, a quick Run), and the names are to the second.
 */
async function unusedProcessedName(source: FileSource, name: string, at: Date): Promise<string> {
  for (let i = 0; i < PROCESSED_NAME_TRIES; i++) {
    const candidate = processedName(name, new Date(at.getTime() + i * 1000));
    if (!(await source.stat(candidate))) return candidate;
  }
  // every one taken: the rename refuses it (FILE_EXISTS) and the file stays in place, reported FILE_NOT_RENAMED
  return processedName(name, at);
}
