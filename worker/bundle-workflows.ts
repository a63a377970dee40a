/**
 * Bundles the workflow code and writes it to the path given, or to standard output. Run by the worker in a child
 * process (see workflow-bundle.ts), and by the Docker image's build, so the bundler's memory is never the worker's.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const logger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.error(message);
  },
  error(message: string) {
    console.error(message);
  },
};

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger });
  const out = process.argv[2];
  if (out) writeFileSync(out, code);
  else process.stdout.write(code);
}

main().catch((error: unknown) => {
  console.error(`The workflow code could not be bundled: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
