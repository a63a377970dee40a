import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, runToReport, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const STUDENTS = 40;

/**
 * A real run applies two chunks of a file at once (activities/apply-chunk.ts): the next starts once the one before
 * holds its students. Every student here has two rows that fall in consecutive chunks (chunk size 2, each pair
 * straddling a boundary), whose order decides the outcome: the second row ends the first one's record the day
 * before it starts (the other way round, it would remove it).
 */
describe('two chunks in flight', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let importId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 2 }), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Pipeline USD'));
    await system.call('PUT', '/api/students', { key, body: Array.from({ length: STUDENTS + 1 }, (_, i) => ({ studentNumber: String(i), firstName: 'F', lastName: `L${i}` })) });
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    const pairs = Array.from({ length: STUDENTS }, (_, i) => [`${i + 1},F,D,08/01/2025,`, `${i + 1},F,D,08/02/2025,`]).flat();
    putServerFile(sshd, 'pipeline', 'IC_Eligibility_1.csv', ['ID,S,T,A,B', '0,F,D,08/01/2025,', ...pairs].join('\n') + '\n');
    const created = await system.call('POST', '/api/imports', { key, body: { name: 'Pipeline', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('pipeline') } });
    importId = created.body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('applies a student\'s rows in file order across chunks, as the one-chunk-at-a-time Test Import does', async () => {
    const dry = await runToReport(system, key, importId, 'test');
    const real = await runToReport(system, key, importId, 'run');
    assert.equal(real.run.status, 'completed');
    const statuses = (report: { records: { line: number; status: string }[] }) => report.records.map((r) => `${r.line}:${r.status}`);
    const expected = ['2:New', ...Array.from({ length: STUDENTS }, (_, i) => [`${2 * i + 3}:New`, `${2 * i + 4}:Ended`, `${2 * i + 4}:New`]).flat()];
    assert.deepEqual(statuses(real.report), expected);
    assert.deepEqual(statuses(dry.report), expected);
    const { rows } = await system.db.query<{ records: string }>(
      `select string_agg(to_char(e.start_date, 'MM-DD') || '..' || coalesce(to_char(e.end_date, 'MM-DD'), ''), ' ' order by e.start_date) as records
       from students s join eligibility_records e on e.student_id = s.id where s.student_number <> '0' group by s.id`,
    );
    assert.deepEqual(new Set(rows.map((r) => r.records)), new Set(['08-01..08-01 08-02..']));
  });
});
