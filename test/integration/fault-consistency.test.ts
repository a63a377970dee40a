import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { runToReport } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { inconsistencies } from '../faults/consistency';
import { eligibilityFile, faultDistrict, importReading, studentNumbers } from '../faults/fault-fixtures';

/** The fault suite's database check finds each kind of damage a fault could leave (and nothing on a clean run). */
describe('the fault suite finds an inconsistent database', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let runId = '';
  let runFileId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 2 }), startSshd()]);
    const students = studentNumbers('C', 5);
    const district = await faultDistrict(system, 'Consistency USD', students);
    const importId = await importReading(system, district, sshd, 'in', { 'IC_Eligibility_1.csv': eligibilityFile(students) });
    const { run } = await runToReport(system, district.key, importId, 'run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    runId = run.id;
    runFileId = (await system.db.query('select id from run_files where run_id = $1', [runId])).rows[0].id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  /** Damages the database with `damage`, checks what is found, and undoes the damage with `repair`. */
  async function found(damage: string, repair: string): Promise<string[]> {
    await system.db.query(damage, [runId, runFileId]);
    try {
      return await inconsistencies(system, runId);
    } finally {
      await system.db.query(repair, [runId, runFileId]);
    }
  }

  it('finds nothing after a clean run', async () => {
    assert.deepEqual(await inconsistencies(system, runId), []);
  });

  it('finds a chunk whose rows are not all reported (half-applied)', async () => {
    // the record of line 6 (the last chunk's row) moved onto line 2: line 6 looks never applied
    const problems = await found(
      `update report_records set line = 2, ord = ord + 100 where run_file_id = $2 and line = 6 and $1::uuid is not null`,
      `update report_records set line = 6, ord = ord - 100 where run_file_id = $2 and ord >= 100 and $1::uuid is not null`,
    );
    assert.ok(problems.some((p) => /the ledger says 5 row\(s\) were read, the report has 4 line/.test(p)), problems.join('; '));
  });

  it('finds the problems of a chunk that has no ledger row', async () => {
    const problems = await found(
      `insert into problems (run_id, run_file_id, chunk_index, file, line, severity, code, message) values ($1, $2, 99, 'x', 99, 'error', 'X', 'x')`,
      `delete from problems where run_id = $1 and chunk_index = 99 and $2::uuid is not null`,
    );
    assert.ok(problems.some((p) => /1 problem\(s\) of chunks without a ledger row/.test(p)), problems.join('; '));
  });

  it('finds staged rows left after the run ended', async () => {
    const problems = await found(
      `insert into staged_rows (run_file_id, seq, line, record) values ($2, 0, 2, 'x') returning $1::uuid`,
      `delete from staged_rows where run_file_id = $2 and $1::uuid is not null`,
    );
    assert.ok(problems.some((p) => /1 staged row\(s\) left/.test(p)), problems.join('; '));
  });

  it('finds progress that differs from the chunk ledger', async () => {
    const problems = await found('update runs set rows_applied = rows_applied + 1 where id = $1 and $2::uuid is not null', 'update runs set rows_applied = rows_applied - 1 where id = $1 and $2::uuid is not null');
    assert.ok(problems.some((p) => /differs from its ledger/.test(p)), problems.join('; '));
  });
});
