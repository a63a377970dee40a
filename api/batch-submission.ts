import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { z } from 'zod';
import { findDistrict } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import { requireRight } from './auth';
import type { AppEnv } from './env';
import { ApiError } from './errors';
import type { batchBody } from './schemas';

/**
 * Submit to Batch (the caller has checked `batch.submit`, loaded the import and read the body): a real run queued for
 * its start time. Each option needs its own right. It never answers RUN_IN_PROGRESS: a batch that is due
 * while another real run of the import is queued or running waits for it.
 */
export async function submitBatch(c: Context<AppEnv>, imp: StoredImport, body: z.output<typeof batchBody>) {
  if (body.highPriority) requireRight(c, 'batch.setPriority');
  if (body.keepUntilDeleted) requireRight(c, 'batch.setExpiration');
  if (!imp.active) throw new ApiError(409, 'IMPORT_INACTIVE', `Import "${imp.name}" is inactive; activate it to submit it to batch, or use Test Import.`);
  const district = (await findDistrict(c.var.deps.db, imp.districtId))!;
  const now = new Date();
  const batch = {
    id: randomUUID(),
    startAt: body.startAt > now ? body.startAt : now,
    highPriority: body.highPriority,
    keepUntilDeleted: body.keepUntilDeleted,
  };
  const run = await c.var.deps.launcher.startRun({ district, imp, mode: 'run', trigger: 'batch', batch });
  return { batchId: batch.id, runId: run.id, workflowId: run.workflowId, startAt: batch.startAt.toISOString(), status: run.status === 'failed' ? ('failed' as const) : ('queued' as const) };
}
