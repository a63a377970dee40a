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
    const mapping = await system.call('POST', '/api/mappings', {
      key,
      body: SHORT_HEADER_MAPPING,
    });
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

  it('applies one after the other per student: every student ends with two records that do not overlap', async () => {
    const started = await Promise.all(importIds.map((id) => system.call('POST', `/api/imports/${id}/run`, { key })));
    const runs = await Promise.all(started.map((s) => waitForRun(system, key, s.body.runId, 120_000)));
    assert.deepEqual(runs.map((r) => r.status), ['completed', 'completed']);
    const { rows: overlaps } = await system.db.query(
      `select count(*)::int as n from eligibility_records a join eligibility_records b
         on a.student_id = b.student_id and a.school_year = b.school_year and a.id < b.id
        and a.start_date <= coalesce(b.end_date, 'infinity'::date) and b.start_date <= coalesce(a.end_date, 'infinity'::date)`,
    );
    assert.equal(overlaps[0].n, 0, 'no overlapping records');
    const { rows: perStudent } = await system.db.query('select count(*)::int as n from eligibility_records group by student_id');
    assert.equal(perStudent.length, STUDENTS);
    // whichever import came first for a student, the later start ends (08/02 row) or removes (08/01 row) the other
    assert.ok(perStudent.every((r: { n: number }) => r.n === 1 || r.n === 2));
  });

  it('the database itself refuses overlapping records, whoever writes them', async () => {
    const { rows } = await system.db.query('select student_id, school_year, start_date from eligibility_records order by start_date desc limit 1');
    const { student_id: studentId, school_year: schoolYear, start_date: start } = rows[0];
    const client = await system.db.connect();
    try {
      await client.query('begin');
      await client.query(
        `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date, end_date)
         select district_id, id, $2, 'S', 'I', $3::date, null from students where id = $1`,
        [studentId, schoolYear, start],
      );
      await assert.rejects(client.query('commit'), (error: { code?: string }) => error.code === '23P01');
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  });
});
