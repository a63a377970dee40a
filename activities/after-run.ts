import { findRun } from '../db/queries/runs';
import { kindOf } from '../kinds';
import { findImportOrFail, loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';

/** Whether a run's kind has something to do once the run has ended: only after a real run, never a dry one. */
export async function needsAfterRun(deps: ActivityDeps, runId: string): Promise<boolean> {
  const run = await findRun(deps.db, runId);
  return run !== undefined && run.mode === 'run' && kindOf(run.kind).afterRun !== undefined;
}

export function createAfterRunActivity(deps: ActivityDeps) {
  return {
    /** The kind's step after a real run has completed or failed (e.g. an error file written back, e-mail). */
    async afterRun({ runId }: { runId: string }): Promise<void> {
      const context = await loadRunContext(deps, runId);
      const { run, kind, settings } = context;
      if (!kind.afterRun || run.mode !== 'run' || (run.status !== 'completed' && run.status !== 'failed')) return;
      const imp = await findImportOrFail(deps, context.importId);
      await kind.afterRun({
        run: { id: run.id, status: run.status, summary: run.summary, error: run.error },
        settings,
        notify: imp.notify,
        db: deps.db,
        writeFile: (name, content) => withRunSource(deps, context, (source) => source.write(name, content)),
      });
    },
  };
}
