import { ApplicationFailure, log } from '@temporalio/activity';
import { ConnectionError } from '../domain/connection-errors';

/** A domain failure an activity raises on purpose: its message is safe for Temporal history. */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/**
 * Everything an activity throws passes through here, because Temporal stores error messages in history:
 * connection errors keep their code and sentence (no secrets in them), anything else becomes a generic
 * message and its detail goes to the worker log only (a database error may quote row values).
 */
export function toActivityFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof ConnectionError) {
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: !error.retryable,
      details: error.fingerprint ? [{ fingerprint: error.fingerprint, keyType: error.keyType }] : [],
    });
  }
  if (error instanceof RunFailure) return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: !error.retryable });
  if (isDiskFull(error)) {
    log.error('activity failed: the database is out of disk space');
    // retrying at once fills the disk again: the run fails, its staging is dropped, and an operator makes room
    return ApplicationFailure.create({ type: 'DATABASE_FULL', message: 'The database ran out of disk space; the run stopped and its staged rows were dropped.', nonRetryable: true });
  }
  log.error('activity failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return ApplicationFailure.create({ type: 'INTERNAL', message: 'An internal error occurred; the worker log has the details.', nonRetryable: false });
}

/** Wraps an activity so every failure leaves it through toActivityFailure. */
export function guarded<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toActivityFailure(error);
    }
  };
}

/** PostgreSQL's SQLSTATE 53100 (disk_full): a table or its tablespace could not grow. */
function isDiskFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '53100';
}
