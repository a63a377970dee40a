import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport } from '../support/batch';
import { putServerFile, runToReport } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { eligibilityRow, faultDistrict, HEADER, studentNumbers, type FaultDistrict } from '../faults/fault-fixtures';

const CAPS = { maxFiles: 3, maxBytes: 2_000, maxRows: 25 };
const STUDENTS = studentNumbers('C', 60);

/** Issue 11, item 4: over a run's cap the remaining files (or rows) wait for the next run, with a warning. */
describe('run caps', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let district: FaultDistrict;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ runCaps: CAPS }), startSshd()]);
    district = await faultDistrict(system, 'Caps USD', STUDENTS);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  /** Files put in `dir` with modification times one minute apart, in the order given (the first is oldest). */
  async function importWith(dir: string, files: [name: string, content: string][]): Promise<string> {
    files.forEach(([name, content], i) => {
      const path = putServerFile(sshd, dir, name, content);
      const at = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(path, at, at);
    });
    return createEligibilityImport(system, district.key, { name: `Caps ${dir}`, mappingId: district.mappingId, connection: sshd.connection(dir) });
  }

  const waiting = (dir: string) => readdirSync(join(sshd.rootDir, dir)).filter((n) => !n.startsWith('P_')).sort();
  const capWarnings = (report: { problems: { code: string; message: string; file: string | null }[] }) => report.problems.filter((p) => p.code === 'RUN_CAP_REACHED');
  const oneRow = (id: string, padding = '') => `${HEADER},Note\n${eligibilityRow(id)},${padding}\n`;

  it('over the file cap the oldest files are taken and the others wait, in place, for the next run', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `IC_Eligibility_${i + 1}.csv`);
    const importId = await importWith('files', names.map((name, i) => [name, oneRow(STUDENTS[i]!)]));

    const first = await runToReport(system, district.key, importId, 'run');
    assert.equal(first.run.status, 'completed', JSON.stringify(first.run.error));
    assert.deepEqual(first.run.files.map((f: { name: string }) => f.name), names.slice(0, 3));
    const [warning] = capWarnings(first.report);
    assert.match(warning?.message ?? '', /MAX_FILES_PER_RUN = 3.*4 files wait/, JSON.stringify(first.report.problems));
    assert.deepEqual(waiting('files'), names.slice(3));

    const second = await runToReport(system, district.key, importId, 'run');
    assert.deepEqual(second.run.files.map((f: { name: string }) => f.name), names.slice(3, 6));
    assert.deepEqual(waiting('files'), names.slice(6));
  });

  it('a run that has ended keeps no listing of its files', async () => {
    const importId = await importWith('ended', [['IC_Eligibility_e.csv', oneRow(STUDENTS[0]!)]]);
    const { run } = await runToReport(system, district.key, importId, 'test');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    const { rows } = await system.db.query('select count(*)::int as n from run_listing where run_id = $1', [run.id]);
    assert.equal(rows[0].n, 0);
  });

  it('over the byte cap the files that would pass it wait; the first file is taken however large', async () => {
    const pad = 'x'.repeat(900);
    const importId = await importWith('bytes', [
      ['IC_Eligibility_huge.csv', oneRow(STUDENTS[10]!, 'x'.repeat(3_000))],
      ['IC_Eligibility_a.csv', oneRow(STUDENTS[11]!, pad)],
      ['IC_Eligibility_b.csv', oneRow(STUDENTS[12]!, pad)],
      ['IC_Eligibility_c.csv', oneRow(STUDENTS[13]!, pad)],
    ]);
    const first = await runToReport(system, district.key, importId, 'run');
    assert.deepEqual(first.run.files.map((f: { name: string }) => f.name), ['IC_Eligibility_huge.csv']);
    assert.match(capWarnings(first.report)[0]?.message ?? '', /MAX_BYTES_PER_RUN = 2000.*3 files wait/);

    const second = await runToReport(system, district.key, importId, 'run');
    assert.deepEqual(second.run.files.map((f: { name: string }) => f.name), ['IC_Eligibility_a.csv', 'IC_Eligibility_b.csv']);
    assert.deepEqual(waiting('bytes'), ['IC_Eligibility_c.csv']);
  });

  it('a file over the row cap is applied up to the cap, stays, and the next run applies the rest exactly once', async () => {
    const ids = STUDENTS.slice(20, 60);
    const name = 'IC_Eligibility_long.csv';
    const importId = await importWith('rows', [[name, [HEADER, ...ids.map(eligibilityRow)].join('\n') + '\n']]);

    const first = await runToReport(system, district.key, importId, 'run');
    assert.equal(first.run.status, 'completed', JSON.stringify(first.run.error));
    assert.equal(first.run.progress.rowsRead, CAPS.maxRows);
    const [warning] = capWarnings(first.report);
    assert.equal(warning?.file, name);
    assert.match(warning?.message ?? '', /MAX_ROWS_PER_RUN = 25.*other 15 rows/);
    assert.ok(existsSync(join(sshd.rootDir, 'rows', name)), 'the file stays in place');

    const second = await runToReport(system, district.key, importId, 'run');
    assert.equal(second.run.status, 'completed', JSON.stringify(second.run.error));
    assert.equal(second.run.progress.rowsRead, ids.length - CAPS.maxRows);
    assert.deepEqual(capWarnings(second.report), []);
    assert.ok(!existsSync(join(sshd.rootDir, 'rows', name)), 'the finished file is renamed');

    const lines = [...first.report.records, ...second.report.records].map((r: { line: number }) => r.line).sort((a, b) => a - b);
    assert.deepEqual(lines, ids.map((_, i) => i + 2), 'every row of the file is in exactly one of the two reports');
  });
});
