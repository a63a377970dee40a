import { Context, log } from '@temporalio/activity';
import { findImportById } from '../db/queries/imports';
import { listRunFiles } from '../db/queries/run-files';
import { countRowErrors, loadFileErrorCodes } from '../db/queries/reports';
import { findRun, setRunAfterRun, type AfterRunRecord } from '../db/queries/runs';
import { describeConnection } from '../domain/connection';
import { ConnectionError } from '../domain/connection-errors';
import { kindOf } from '../kinds';
import { logMailer, MailError } from '../mail/mailer';
import { composeRunEmail } from '../mail/run-email';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

/** A failing write or send is retried by Temporal up to this attempt, then recorded on the run. */
export const AFTER_RUN_ATTEMPTS = 3;

/** Whether a run has a step after it: every real run (error file, e-mail), never a dry one. */
export async function needsAfterRun(deps: ActivityDeps, runId: string): Promise<boolean> {
  const run = await findRun(deps.db, runId);
  return run !== undefined && run.mode === 'run';
}

type Failure = { message: string; retryable: boolean };

function describeFailure(error: unknown): Failure {
  if (error instanceof ConnectionError || error instanceof MailError) return { message: error.message, retryable: error.retryable };
  if (error instanceof RunFailure) return { message: error.message, retryable: error.retryable };
  log.error('after-run step failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return { message: 'An internal error occurred; the worker log has the details.', retryable: true };
}

export function createAfterRunActivity(deps: ActivityDeps) {
  const mailer = deps.mailer ?? logMailer();

  /** The kind's error file, written into the run's directory; its name, or null when no row failed. */
  async function writeErrorFile(run: { id: string; status: 'completed' | 'failed'; finishedAt: Date }): Promise<string | null> {
    const context = await loadRunContext(deps, run.id);
    const file = await context.kind.errorFile?.({ run, settings: context.settings, db: deps.db });
    if (!file) return null;
    await withRunSource(deps, context, (source) => source.write(file.name, file.content));
    return file.name;
  }

  return {
    /**
     * After a real run has completed or failed: the kind's error file written back, then the e-mail to the
     * import's addresses (composed here, so no row data and no address list crosses Temporal). A failure is
     * retried up to AFTER_RUN_ATTEMPTS, then recorded on the run (`afterRun.problems`) and logged; the run's
     * status never changes. Done once: a run that has its record is left alone.
     */
    async afterRun({ runId }: { runId: string }): Promise<void> {
      const stored = await findRun(deps.db, runId);
      if (!stored || stored.mode !== 'run' || (stored.status !== 'completed' && stored.status !== 'failed') || stored.afterRun) return;
      const run = { ...stored, status: stored.status, finishedAt: new Date(stored.finishedAt ?? Date.now()) };
      const imp = run.importId ? await findImportById(deps.db, run.importId) : undefined;
      // a deleted import has nowhere to write and nobody to tell
      if (!imp) return;
      const kind = kindOf(run.kind);
      const lastAttempt = Context.current().info.attempt >= AFTER_RUN_ATTEMPTS;
      const record: AfterRunRecord = { errorFile: null, email: 'none', problems: [] };
      const failed = (code: string, failure: Failure) => {
        if (failure.retryable && !lastAttempt) throw new RunFailure(code, failure.message, true);
        log.warn('after-run step failed; the run keeps its status', { runId, code, message: failure.message });
        record.problems.push({ code, message: failure.message });
      };

      let errorFileProblem: string | null = null;
      if (kind.errorFile) {
        try {
          record.errorFile = await writeErrorFile({ id: runId, status: run.status, finishedAt: run.finishedAt });
        } catch (error) {
          const failure = describeFailure(error);
          errorFileProblem = failure.message;
          failed('ERROR_FILE_NOT_WRITTEN', { ...failure, message: `The error file was not written: ${failure.message}` });
        }
      }

      const emails = imp.notify?.emails ?? [];
      const files = await listRunFiles(deps.db, runId);
      if (emails.length > 0 && (files.length > 0 || run.status === 'failed')) {
        const summary = run.summary ?? {};
        const message = composeRunEmail({
          importName: run.importName,
          kind: run.kind,
          runId,
          status: run.status,
          finishedAt: run.finishedAt,
          error: run.error,
          location: run.connection ? describeConnection(run.connection) : 'unknown',
          files: files.map((f) => ({ name: f.name, status: f.status, renamedTo: f.renamedTo, rows: f.rows })),
          fileErrors: await loadFileErrorCodes(deps.db, runId),
          summary: kind.summary.map((c) => [c.key, summary[c.key] ?? 0]),
          rowErrors: await countRowErrors(deps.db, runId),
          errorFile: record.errorFile,
          errorFileProblem,
        });
        try {
          record.email = await mailer.send({ to: emails, ...message });
        } catch (error) {
          record.email = 'failed';
          const failure = describeFailure(error);
          failed('EMAIL_NOT_SENT', { ...failure, message: `The e-mail to ${String(emails.length)} address(es) was not sent: ${failure.message}` });
        }
      }
      await setRunAfterRun(deps.db, runId, record);
    },
  };
}
