import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { faultDistrict, paddedEligibilityFile, paddedEligibilityRows, type SlowLink, stagedRows, startRun, startSlowLink, studentNumbers } from './fault-fixtures';

// about 8 MB at 2 MB/s: the file is read for about four seconds, and grows meanwhile
const FIRST = studentNumbers('G', 12_000);
const APPENDED = studentNumbers('GA', 400);
const NAME = 'IC_Eligibility_growing.csv';

let link: SlowLink;

before(async () => (link = await startSlowLink()));
after(async () => link?.stop());

test('fault: a file grows while it is read', async () => {
  const { system, sshd } = link;
  const district = await faultDistrict(system, 'Growing File USD', [...FIRST, ...APPENDED]);
  const path = putServerFile(sshd, 'in', NAME, paddedEligibilityFile(FIRST));
  const importId = await createEligibilityImport(system, district.key, {
    name: 'Growing',
    mappingId: district.mappingId,
    connection: link.connection('in'),
  });
  const uncaught = watchUncaught();
  const { runId } = await startRun(system, district.key, importId);
  await waitUntil('the file is being staged', async () => (await stagedRows(system, runId)) > 0);
  // the writer appends its last rows while the run reads the first ones
  for (let at = 0; at < APPENDED.length; at += 40) {
    appendFileSync(path, paddedEligibilityRows(APPENDED.slice(at, at + 40)));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const { run, report } = await assertSurvived(system, district.key, runId);
  uncaught.assertNone();
  const codes = report.problems.map((p: { file: string; code: string }) => `${p.file}:${p.code}`);
  assert.ok(codes.includes(`${NAME}:FILE_STILL_WRITING`), `the report does not say the file changed while it was read (${codes.join(', ') || 'no problems'}; ${run.progress.rowsApplied} rows applied; file ${JSON.stringify(run.files[0])})`);
  assert.equal(run.progress.rowsApplied, 0, 'no row of a file caught mid-write is applied');
  assert.ok(existsSync(join(sshd.rootDir, 'in', NAME)), 'the file stays in place for the next run');

  // the writer has finished: the next run takes the whole file
  const next = await assertNotWedged(system, district.key, importId);
  assert.equal(next.progress.rowsApplied, FIRST.length + APPENDED.length);
});
