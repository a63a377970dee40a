import type { AppConfig } from '../config';

/** Runs a Temporal worker for workflows and activities until stop() is called. */
export async function startWorker(_config: AppConfig): Promise<{ stop(): Promise<void> }> {
  throw new Error('not written yet');
}
