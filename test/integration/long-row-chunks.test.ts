import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_TEXT_BUDGET } from '../../domain/chunk-rows';
import { startSshd, type TestSshd } from '../sources/sshd';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { faultDistrict, importReading, startRun, type FaultDistrict } from '../faults/fault-fixtures';

const ROWS = 40;
const ROW_CHARS = 900_000;

/** A chunk's rows are held in memory together: a file of long rows is applied in smaller chunks (domain/chunk-rows.ts). */
describe('chunks of a file of long rows', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let district: FaultDistrict;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 10_000 }), startSshd()]);
    district = await faultDistrict(system, 'Long Rows USD', ['L1']);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('stays under the chunk text budget, so 40 rows of 900,000 characters take three chunks, not one', async () => {
    // every row is read in full and ends as STUDENT_NOT_FOUND: the rows are only there to be long
    const rows = Array.from({ length: ROWS }, (_, i) => `X${String(i).padStart(2, '0')},F,D,08/01/2025,${'x'.repeat(ROW_CHARS)}`);
    const importId = await importReading(system, district, sshd, 'long', { 'IC_Eligibility_long.csv': ['ID,S,T,A,B', ...rows].join('\n') + '\n' });
    const { runId } = await startRun(system, district.key, importId);
    const run = await waitForRun(system, district.key, runId, 120_000);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.progress.rowsRead, ROWS);
    const rowsPerChunk = Math.floor(CHUNK_TEXT_BUDGET / (3 + 1 + 1 + 10 + ROW_CHARS));
    const { rows: chunks } = await system.db.query<{ rows_read: number }>(
      'select c.rows_read from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = $1 order by c.chunk_index',
      [runId],
    );
    assert.deepEqual(
      chunks.map((c) => c.rows_read),
      [rowsPerChunk, rowsPerChunk, ROWS - 2 * rowsPerChunk],
    );
  });
});
