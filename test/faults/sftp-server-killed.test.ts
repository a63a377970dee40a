import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { activityAttempts, eligibilityFile, faultDistrict, paddedEligibilityFile, type SlowLink, stagedRows, startRun, startSlowLink, studentNumbers } from './fault-fixtures';

// about 8 MB at 2 MB/s, more than SSH's window and the sockets' buffers hold: the download lasts about four seconds
const STUDENTS = studentNumbers('S', 12_000);

let link: SlowLink;

before(async () => (link = await startSlowLink()));
after(async () => link?.stop());

test('fault: the SFTP server is killed mid-transfer and comes back', async (t) => {
  const { system, sshd, relay } = link;
  const district = await faultDistrict(system, 'SFTP Kill USD', [...STUDENTS, 'S-next']);
  putServerFile(sshd, 'in', 'IC_Eligibility_1.csv', paddedEligibilityFile(STUDENTS));
  const importId = await createEligibilityImport(system, district.key, {
    name: 'Over a slow link',
    mappingId: district.mappingId,
    connection: link.connection('in'),
  });
  const { runId, workflowId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  await waitUntil('the file is partly staged', async () => (await stagedRows(system, runId)) > 0);
  const partly = await stagedRows(system, runId);
  assert.ok(partly < STUDENTS.length, `the whole file (${partly} rows) was staged before the server was killed`);
  await sshd.restart(2000);
  const relayedBeforeRestart = relay.bytesRelayed();

  // the lost connection fails the download at once; it does not wait for stageFile's heartbeat to stop
  const { run } = await assertSurvived(system, district.key, runId, [], 40_000);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', 'the download was retried once the server was back');
  assert.equal(run.progress.rowsRead, STUDENTS.length, 'every row staged once');
  assert.ok(Math.max(...((await activityAttempts(system, workflowId)).stageFile ?? [])) >= 2, 'the cut-off download failed and was retried');
  // the retry went on from the last resume point (saved with the rows staged before the kill), not from the first byte
  const fileBytes = Buffer.byteLength(paddedEligibilityFile(STUDENTS));
  const relayedAfter = relay.bytesRelayed() - relayedBeforeRestart;
  t.diagnostic(`after the restart ${relayedAfter} bytes came over the link for the ${fileBytes}-byte file (${partly} of ${STUDENTS.length} rows staged before)`);
  assert.ok(relayedAfter < fileBytes * 0.75, `after the restart ${relayedAfter} bytes came over the link for a ${fileBytes}-byte file of which ${partly} rows were staged`);
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['S-next']));
  await assertNotWedged(system, district.key, importId);
});
