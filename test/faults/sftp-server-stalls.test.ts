import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { startThrottledRelay, type ThrottledRelay } from '../support/throttled-relay';
import { DOWNLOAD_STALL_MS } from '../../domain/heartbeats';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, faultDistrict, paddedEligibilityFile, retryCauses, startRun, studentNumbers } from './fault-fixtures';

// about 8 MB at 2 MB/s: the download lasts about four seconds, and its first rows are staged after about two
const STUDENTS = studentNumbers('Q', 12_000);
const BYTES_PER_SECOND = 2 * 1024 * 1024;

let system: TestSystem;
let sshd: TestSshd;
let relay: ThrottledRelay;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 4000 }), startSshd()]);
  relay = await startThrottledRelay(sshd, BYTES_PER_SECOND);
});
after(async () => {
  await relay?.stop();
  await sshd?.stop();
  await system?.stop();
});

const stagedRows = async (runId: string) =>
  (await system.db.query<{ n: number }>('select count(*)::int as n from staged_rows where run_file_id in (select id from run_files where run_id = $1)', [runId])).rows[0]!.n;

test('fault: the SFTP server goes quiet mid-transfer, its connection left open', async () => {
  const district = await faultDistrict(system, 'SFTP Stall USD', [...STUDENTS, 'Q-next']);
  putServerFile(sshd, 'in', 'IC_Eligibility_1.csv', paddedEligibilityFile(STUDENTS));
  const importId = await createEligibilityImport(system, district.key, {
    name: 'Over a link that goes quiet',
    mappingId: district.mappingId,
    connection: { ...sshd.connection('in'), host: relay.host, port: relay.port },
  });
  const { runId, workflowId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  await waitUntil('the file is partly staged', async () => (await stagedRows(runId)) > 0);
  relay.silenceOpenConnections();
  assert.ok((await stagedRows(runId)) < STUDENTS.length, 'the whole file was staged before the server went quiet');

  // the download ends itself after DOWNLOAD_STALL_MS without a byte, and the retry reads on over a new connection
  const { run } = await assertSurvived(system, district.key, runId, [], DOWNLOAD_STALL_MS + 40_000);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', 'the stalled download was tried again');
  assert.equal(run.progress.rowsRead, STUDENTS.length, 'every row staged once');
  assert.deepEqual(await retryCauses(system, workflowId, 'stageFile'), ['DOWNLOAD_STALLED'], 'the attempt ended itself as stalled, not by a timeout or a lost connection');
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['Q-next']));
  await assertNotWedged(system, district.key, importId);
});
