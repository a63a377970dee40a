import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILT_WORKFLOW_BUNDLE, loadWorkflowBundle } from './workflow-bundle';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run worker` and the Docker image build the worker. */
export const WORKER_BUILD_DIR = join(projectRoot, 'dist');

/**
 * The worker as it runs in production: plain JavaScript for `node`, without a TypeScript loader (tsx's transformer
 * and its thread cost the worker about 40 MB of resident memory, measured by `npm run bench`). In `outDir`:
 * - `worker.mjs`: scripts/worker.ts and our code bundled into one module; packages stay in node_modules, so
 *   `outDir` must be inside the project for its imports to find them;
 * - `migrations/`: db/migrate.ts reads them beside its module;
 * - the workflow code bundled for Temporal (BUILT_WORKFLOW_BUNDLE), which the worker finds beside its module.
 */
export async function buildWorker(outDir: string = WORKER_BUILD_DIR): Promise<{ entry: string }> {
  await mkdir(outDir, { recursive: true });
  const entry = join(outDir, 'worker.mjs');
  await build({
    entryPoints: [join(projectRoot, 'scripts/worker.ts')],
    outfile: entry,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  await cp(join(projectRoot, 'db/migrations'), join(outDir, 'migrations'), { recursive: true });
  const { code } = await loadWorkflowBundle();
  await writeFile(join(outDir, BUILT_WORKFLOW_BUNDLE), code);
  return { entry };
}
