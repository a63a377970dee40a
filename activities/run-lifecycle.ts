import { Context } from '@temporalio/activity';
import { countRunChunks } from '../db/queries/chunks';
import { countFilesFailedWith } from '../db/queries/run-files';
import { findRun, markRunRunning, RunInProgressError } from '../db/queries/runs';
import { FILE_ACCESS_CODES } from '../domain/file-access-problems';
import type { ImportRunInput } from '../domain/runs';
import { UnknownKindError } from '../kinds';
import { createRun } from '../runs/create-run';
import { endRun } from '../runs/end-run';
import { needsAfterRun } from './after-run';
import { findImportOrFail } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

export function createRunLifecycleActivities(deps: ActivityDeps) {
  return {
    /** Marks the run running; a schedule-started run has no row yet, so it is created (and fixed) here. */
    async beginRun(input: ImportRunInput & { runId: string }): Promise<{ chunkSize: number }> {
      let run = await findRun(deps.db, input.runId);
      if (!run) {
        const imp = await findImportOrFail(deps, input.importId);
        if (input.mode === 'run' && !imp.active) throw new RunFailure('IMPORT_INACTIVE', `Import "${imp.name}" is inactive.`);
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? input.runId;
        try {
          run = await createRun(deps.db, { id: input.runId, imp, mode: input.mode, trigger: input.trigger, workflowId });
        } catch (error) {
          if (error instanceof RunInProgressError) throw new RunFailure('RUN_IN_PROGRESS', `A run of import "${imp.name}" is already in progress.`);
          if (error instanceof UnknownKindError) throw new RunFailure(error.code, error.message);
          throw error;
        }
      }
      if (run.status === 'failed' && run.error) throw new RunFailure(run.error.code, run.error.message);
      await markRunRunning(deps.db, input.runId);
      return { chunkSize: deps.config.chunkSize };
    },

    /**
     * A run whose every taken file could not be read or renamed fails (ALL_FILES_FAILED), through the workflow's failRun.
     * Otherwise: the kind's summary, final status, and the run's staging and the kind's run state (e.g. a dry run's copy) dropped; says whether the kind's afterRun follows.
     */
    async completeRun({ runId }: { runId: string }): Promise<{ afterRun: boolean }> {
      if (!(await findRun(deps.db, runId))) throw new RunFailure('RUN_NOT_FOUND', 'The run record is missing.');
      const { taken, failed } = await countFilesFailedWith(deps.db, runId, FILE_ACCESS_CODES);
      if (taken > 0 && failed === taken) {
        throw new RunFailure('ALL_FILES_FAILED', `None of the ${String(taken)} file(s) the run took could be read or renamed; the report names each file's problem.`);
      }
      await endRun(deps.db, runId, { status: 'completed' });
      return { afterRun: await needsAfterRun(deps, runId) };
    },

    async failRun({ runId, code, message }: { runId: string; code: string; message: string }): Promise<{ afterRun: boolean }> {
      await endRun(deps.db, runId, { status: 'failed', error: { code, message } });
      return { afterRun: await needsAfterRun(deps, runId) };
    },

    /**
     * The workflow was canceled after the run began: the run ends canceled, keeping the chunks it committed,
     * and its report says how much was applied and how many files stay in place for a later run.
     */
    async cancelRun({ runId, filesNotProcessed }: { runId: string; filesNotProcessed: number }): Promise<void> {
      const { chunks, rowsApplied } = await countRunChunks(deps.db, runId);
      const message =
        `The run was canceled: ${String(rowsApplied)} row(s) in ${String(chunks)} committed chunk(s) were applied and kept; ` +
        `${String(filesNotProcessed)} file(s) were not processed and stay in place, not renamed.`;
      await endRun(deps.db, runId, { status: 'canceled', problem: { line: null, severity: 'warning', code: 'RUN_CANCELED', message } });
    },
  };
}
