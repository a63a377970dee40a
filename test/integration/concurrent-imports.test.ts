import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const STUDENTS = 300;

/** Two imports of one district running at once on the same students must still leave no overlapping records. */
describe('concurrent runs of two imports on the same students', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  const importIds: string[] = [];

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 10 }), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Race USD'));
    await system.call('PUT', '/api/students', { key, body: Array.from({ length: STUDENTS }, (_, i) => ({ studentNumber: String(i), firstName: 'F', lastName: `L${i}` })) });
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    // Each import's file gives every student a record starting on another day, all open-ended.
    for (const [name, day] of [['Direct', '08/01/2025'], ['Applications', '08/02/2025']] as const) {
      const lines = ['ID,S,T,A,B', ...Array.from({ length: STUDENTS }, (_, i) => `${i},R,I,${day},`)];
      putServerFile(sshd, name, 'IC_Eligibility_1.csv', lines.join('\n') + '\n');
      const imp = await system.call('POST', '/api/imports', { key, body: { name, kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection(name) } });
      importIds.push(imp.body.id);
    }
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('applies one after the other per student: each student ends with exactly what the order of the two runs gives', async () => {
    const started = await Promise.all(importIds.map((id) => system.call('POST', `/api/imports/${id}/run`, { key })));
    const runs = await Promise.all(started.map((s) => waitForRun(system, key, s.body.runId, 120_000)));
    assert.deepEqual(runs.map((r) => r.status), ['completed', 'completed']);
    const [direct, applications] = runs.map((r) => r.id as string);
    // Which run reached a student second shows in its report: the 08/02 row ends the 08/01 record, or the 08/01 row removes the 08/02 one.
    const { rows } = await system.db.query(
      `select s.student_number as student,
         exists (select 1 from report_records r join run_files f on f.id = r.run_file_id where f.run_id = $2 and r.student_number = s.student_number and r.status = 'Ended') as "directFirst",
         exists (select 1 from report_records r join run_files f on f.id = r.run_file_id where f.run_id = $1 and r.student_number = s.student_number and r.status = 'Removed') as "applicationsFirst",
         coalesce((select json_agg(json_build_array(to_char(e.start_date, 'YYYY-MM-DD'), to_char(e.end_date, 'YYYY-MM-DD')) order by e.start_date)
                   from eligibility_records e where e.student_id = s.id), '[]') as records
       from students s order by s.student_number`,
      [direct, applications],
    );
    type Row = { student: string; directFirst: boolean; applicationsFirst: boolean; records: unknown };
    assert.equal(rows.length, STUDENTS);
    assert.deepEqual(rows.filter((r: Row) => r.directFirst === r.applicationsFirst).map((r: Row) => r.student), [], 'for each student exactly one run came second');
    assert.deepEqual(
      rows.map((r: Row) => [r.student, r.records]),
      rows.map((r: Row) => [r.student, r.directFirst ? [['2025-08-01', '2025-08-01'], ['2025-08-02', null]] : [['2025-08-01', null]]]),
    );
  });

  it('the database itself refuses overlapping records, whoever writes them', async () => {
    const { rows } = await system.db.query('select student_id, school_year, start_date from eligibility_records order by start_date desc limit 1');
    const { student_id: studentId, school_year: schoolYear, start_date: start } = rows[0];
    const client = await system.db.connect();
    try {
      await client.query('begin');
      const insert = client.query(
        `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date, end_date)
         select district_id, id, $2, 'S', 'I', $3::date, null from students where id = $1`,
        [studentId, schoolYear, start],
      );
      // refused by the statement's overlap check (migration 016), before the transaction can commit
      await assert.rejects(insert.then(() => client.query('commit')), (error: { code?: string }) => error.code === '23P01');
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  });
});
