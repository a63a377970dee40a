import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';

export class WorkflowBundleError extends Error {
  override readonly name = 'WorkflowBundleError';
}

const bundler = fileURLToPath(new URL('./bundle-workflows.ts', import.meta.url));
/** The workflow code as worker/build.ts writes it beside the built worker's module. */
export const BUILT_WORKFLOW_BUNDLE = 'workflows.bundle.js';
const builtBundle = fileURLToPath(new URL(`./${BUILT_WORKFLOW_BUNDLE}`, import.meta.url));
// where `--import tsx` is resolved from, whatever the caller's working directory
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The workflow code the worker runs. A prebuilt bundle (WORKFLOW_BUNDLE) is read as is, and so is the one a built
 * worker (worker/build.ts) has beside its module. Otherwise the code is bundled in a child process: the bundler
 * takes about 100 MB at its peak, which would otherwise stay the worker's peak memory for its whole life.
 */
export async function loadWorkflowBundle(prebuiltPath?: string): Promise<WorkflowBundle> {
  prebuiltPath ??= existsSync(builtBundle) ? builtBundle : undefined;
  if (prebuiltPath) {
    try {
      return { code: await readFile(prebuiltPath, 'utf8') };
    } catch (error) {
      throw new WorkflowBundleError(`WORKFLOW_BUNDLE ${prebuiltPath} could not be read.`, { cause: error });
    }
  }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', bundler], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new WorkflowBundleError(`The workflow code could not be bundled: ${stderr.trim().slice(-2000) || error.message}`, { cause: error }));
      else resolve({ code: stdout });
    });
  });
}
