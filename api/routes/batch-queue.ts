import type { Context } from 'hono';
import { z } from 'zod';
import { deleteFinishedBatch, findDistrictBatch, listDistrictBatches, type StoredBatch } from '../../db/queries/batches';
import { districtOf, isUuid, requireRight } from '../auth';
import { cancelRun } from '../cancel-run';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../env';
import { batchSchema } from '../response-schemas';
import { defineRoute, json, newRouter, problem } from '../route-contract';
import { reply } from '../typed-reply';

const present = (b: StoredBatch) => ({
  batchId: b.id,
  importId: b.importId,
  status: b.status,
  startAt: b.startAt,
  highPriority: b.highPriority,
  keepUntilDeleted: b.keepUntilDeleted,
  runId: b.runId,
  workflowId: b.workflowId,
  createdAt: b.createdAt,
  finishedAt: b.finishedAt,
});

async function loadBatch(c: Context<AppEnv>): Promise<StoredBatch> {
  const districtId = await districtOf(c);
  const id = c.req.param('batchId') ?? '';
  const batch = isUuid(id) ? await findDistrictBatch(c.var.deps.db, districtId, id) : undefined;
  if (!batch) throw notFound('Batch submission');
  return batch;
}

const listBatches = {
  method: 'get',
  path: '/',
  summary: 'The district’s batch submissions, the next to start first',
  responses: { 200: json('The submissions; `importId` null once the import was deleted', z.array(batchSchema)) },
} as const;

const deleteBatch = {
  method: 'delete',
  path: '/{batchId}',
  summary: 'Cancel a queued batch submission (its run ends `canceled`, its workflow is canceled), or delete a finished one with its run and report',
  request: { params: z.object({ batchId: z.uuid() }) },
  responses: {
    200: json('Canceled: the submission, `status: "canceled"`', batchSchema),
    204: { description: 'Deleted: the submission, its run and its report are gone' },
    409: problem('`BATCH_PROCESSING`: it is running; delete it once it has finished'),
  },
} as const;

export const batchQueueRoutes = newRouter();

defineRoute(batchQueueRoutes, listBatches, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  return reply(c, listBatches, 200, (await listDistrictBatches(c.var.deps.db, districtId)).map(present));
});

defineRoute(batchQueueRoutes, deleteBatch, async (c) => {
  requireRight(c, 'batch.submit');
  const batch = await loadBatch(c);
  const { db, launcher } = c.var.deps;
  if (batch.status === 'queued' && (await cancelRun({ db, launcher }, { id: batch.runId, workflowId: batch.workflowId, status: 'queued', trigger: 'batch' }))) {
    return reply(c, deleteBatch, 200, present((await findDistrictBatch(db, batch.districtId, batch.id))!));
  }
  if (await deleteFinishedBatch(db, batch.districtId, batch.id)) return c.body(null, 204);
  throw new ApiError(409, 'BATCH_PROCESSING', 'The batch submission is processing; it can be deleted once it has finished.');
});
