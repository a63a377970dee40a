import { Hono, type Context } from 'hono';
import { deleteFinishedBatch, findDistrictBatch, listDistrictBatches, type StoredBatch } from '../../db/queries/batches';
import { districtOf, isUuid, requireRight } from '../auth';
import { cancelRun } from '../cancel-run';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../env';

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

export const batchQueueRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    return c.json((await listDistrictBatches(c.var.deps.db, districtId)).map(present));
  })
  .delete('/:batchId', async (c) => {
    requireRight(c, 'batch.submit');
    const batch = await loadBatch(c);
    const { db, launcher } = c.var.deps;
    if (batch.status === 'queued' && (await cancelRun({ db, launcher }, { id: batch.runId, workflowId: batch.workflowId, status: 'queued', trigger: 'batch' }))) {
      return c.json(present((await findDistrictBatch(db, batch.districtId, batch.id))!));
    }
    if (await deleteFinishedBatch(db, batch.districtId, batch.id)) return c.body(null, 204);
    throw new ApiError(409, 'BATCH_PROCESSING', 'The batch submission is processing; it can be deleted once it has finished.');
  });
