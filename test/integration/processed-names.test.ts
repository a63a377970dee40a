import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { processedName } from '../../domain/files';
import { startSshd, type TestSshd } from '../sources/sshd';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { eligibilityFile, faultDistrict, importReading, startRun, type FaultDistrict } from '../faults/fault-fixtures';

const NAME = 'IC_Eligibility_daily.csv';

/** Processed names are to the second (RULES.md): a file of the same name processed in a second already used gets the next free one. */
describe('the processed name of a file', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let district: FaultDistrict;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    district = await faultDistrict(system, 'Names USD', ['N1']);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('skips the seconds whose names are taken, so the run completes and nothing is overwritten', async () => {
    const importId = await importReading(system, district, sshd, 'in', { [NAME]: eligibilityFile(['N1']) });
    // as if files of this name had been processed in each of the next 20 seconds
    const now = Date.now();
    const taken = Array.from({ length: 20 }, (_, i) => processedName(NAME, new Date(now + i * 1000)));
    for (const name of taken) putServerFile(sshd, 'in', name, 'processed before\n');
    const { runId } = await startRun(system, district.key, importId);
    const run = await waitForRun(system, district.key, runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    const names = readdirSync(join(sshd.rootDir, 'in'));
    assert.ok(!names.includes(NAME), 'the file was renamed');
    const renamed = names.filter((n) => !taken.includes(n));
    assert.equal(renamed.length, 1, names.join(', '));
    assert.match(renamed[0]!, /^P_IC_Eligibility_daily_\d{8}T\d{6}Z\.csv$/);
  });
});
