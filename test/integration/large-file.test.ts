import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, WORD_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const ROWS = 10_000;

/** A 50 MB file streams through staging and applies (here: wide rows with an unmapped notes column). `npm run bench` times a 50 MB file of short rows. */
describe('a 50 MB file', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let importId = '';
  let sha256 = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    const notes = 'n'.repeat(5000);
    const lines = ['ID,Status,Type,Start,End,Notes'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},F,D,08/01/2025,,"${notes}, ${i}"`);
    const content = Buffer.from(lines.join('\r\n') + '\r\n');
    assert.ok(content.length > 50_000_000);
    sha256 = createHash('sha256').update(content).digest('hex');
    putServerFile(sshd, 'in', 'IC_Eligibility_big.csv', content);

    ({ key } = await createDistrictWithKey(system, 'Big USD'));
    await system.call('PUT', '/api/students', { key, body: Array.from({ length: ROWS }, (_, i) => ({ studentNumber: String(i), firstName: 'F', lastName: `L${i}` })) });
    const mapping = await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING });
    importId = (await system.call('POST', '/api/imports', { key, body: { name: 'Big', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('in') } })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('is staged whole (same SHA-256) and every row applies', async () => {
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    const run = await waitForRun(system, key, started.body.runId, 300_000);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.files[0].sha256, sha256);
    assert.equal(run.files[0].bytesRead, run.files[0].size, 'progress reached the whole file');
    assert.equal(run.files[0].rows, ROWS);
    assert.deepEqual(run.summary, { new: ROWS, updated: 0, ended: 0, removed: 0, existing: 0, errors: 0, warnings: 0 });
    assert.match(run.files[0].renamedTo, /^P_IC_Eligibility_big_/);
  });
});
