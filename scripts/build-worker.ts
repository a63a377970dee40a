/** Builds the production worker into dist/ (worker/build.ts); `node dist/worker.mjs` runs it. */
import { buildWorker } from '../worker/build';

buildWorker().catch((error: unknown) => {
  console.error(`The worker could not be built: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
