/** Production entry point (Docker): migrate the database, then run the Temporal worker until SIGINT/SIGTERM. */
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { describeError } from '../runtime/describe-error';
import { startWorker } from '../worker/start-worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const applied = await migrate(config.databaseUrl);
  if (applied.length) console.log(`Applied ${applied.length} database migration(s).`);
  const worker = await startWorker(config);
  console.log(`Worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address} (namespace ${config.temporal.namespace}).`);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the worker (activities in flight may finish first).`);
    try {
      await worker.stop();
      process.exit(0);
    } catch (error) {
      console.error(`Stopping the worker failed: ${describeError(error)}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  console.error(`The worker could not start: ${describeError(error)}`);
  process.exit(1);
});
