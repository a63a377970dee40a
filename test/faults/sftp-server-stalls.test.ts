import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { DOWNLOAD_STALL_MS } from '../../domain/heartbeats';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, faultDistrict, paddedEligibilityFile, retryCauses, type SlowLink, stagedRows, startRun, startSlowLink, studentNumbers } from './fault-fixtures';

// about 8 MB at 2 MB/s: the download lasts about four seconds, and its first rows are staged after about two
const STUDENTS = studentNumbers('Q', 12_000);

let link: SlowLink;

before(async () => (link = await startSlowLink()));
after(async () => link?.stop());

test('fault: the SFTP server goes quiet mid-transfer, its connection left open', async () => {
  const { system, sshd, relay } = link;
  const district = await faultDistrict(system, 'SFTP Stall USD', [...STUDENTS, 'Q-next']);
  putServerFile(sshd, 'in', 'IC_Eligibility_1.csv', paddedEligibilityFile(STUDENTS));
  const importId = await createEligibilityImport(system, district.key, {
    name: 'Over a link that goes quiet',
    mappingId: district.mappingId,
    connection: link.connection('in'),
  });
  const { runId, workflowId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  await waitUntil('the file is partly staged', async () => (await stagedRows(system, runId)) > 0);
  relay.silenceOpenConnections();
  assert.ok((await stagedRows(system, runId)) < STUDENTS.length, 'the whole file was staged before the server went quiet');

  // the download ends itself after DOWNLOAD_STALL_MS without a byte, and the retry reads on over a new connection
  const { run } = await assertSurvived(system, district.key, runId, [], DOWNLOAD_STALL_MS + 40_000);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', 'the stalled download was tried again');
  assert.equal(run.progress.rowsRead, STUDENTS.length, 'every row staged once');
  assert.deepEqual(await retryCauses(system, workflowId, 'stageFile'), ['DOWNLOAD_STALLED'], 'the attempt ended itself as stalled, not by a timeout or a lost connection');
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['Q-next']));
  await assertNotWedged(system, district.key, importId);
});
