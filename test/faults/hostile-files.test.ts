import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { startSshd, type TestSshd } from '../sources/sshd';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, eligibilityRow, faultDistrict, HEADER, importReading, startRun } from './fault-fixtures';

interface HostileFile {
  name: string;
  content: Buffer;
  /** [line, code] of each hostile row, in file order. */
  problems: [number, string][];
  goodStudents: string[];
}

/** A file of good rows around one hostile row (line 3): the good rows must apply, the hostile one is a row error. */
function hostileFile(tag: string, code: string, hostileLine: Buffer): HostileFile {
  const goodStudents = [`${tag}1`, `${tag}2`, `${tag}3`];
  const content = Buffer.concat([
    Buffer.from(`${HEADER}\n${eligibilityRow(goodStudents[0]!)}\n`),
    hostileLine,
    Buffer.from(`\n${eligibilityRow(goodStudents[1]!)}\n${eligibilityRow(goodStudents[2]!)}\n`),
  ]);
  return { name: `IC_Eligibility_${tag}.csv`, content, problems: [[3, code]], goodStudents };
}

const FILES: HostileFile[] = [
  hostileFile('nul', 'CONTROL_CHARACTER', Buffer.from('N9,F,D,08/01/2025,a\0b')),
  hostileFile('control', 'CONTROL_CHARACTER', Buffer.from('C9,F\x1b[2J,D,08/01/2025,')),
  hostileFile('utf8', 'INVALID_ENCODING', Buffer.concat([Buffer.from('U9,F,D,08/01/2025,Jos'), Buffer.from([0xc3, 0x28, 0xff])])),
  hostileFile('longline', 'ROW_TOO_LONG', Buffer.concat([Buffer.from('L9,F,D,08/01/2025,'), Buffer.alloc(10 * 1024 * 1024, 'x')])),
  hostileFile('fields', 'TOO_MANY_FIELDS', Buffer.concat([Buffer.from('M9'), Buffer.alloc(1_000_000, ',')])),
  // a quoted field of 200,000 escaped quotes: well-formed CSV whose value is no date
  hostileFile('quotes', 'INVALID_DATE', Buffer.from(`Q9,F,D,08/01/2025,"${'""'.repeat(200_000)}"`)),
];

let system: TestSystem;
let sshd: TestSshd;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ runReaperGraceSeconds: 30 }), startSshd()]);
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
});

test('fault: hostile files in one run (NUL, control bytes, bad UTF-8, a 10 MB line, 1M fields, nested quotes)', async (t) => {
  const students = [...FILES.flatMap((f) => f.goodStudents), 'H-next'];
  const district = await faultDistrict(system, 'Hostile Files USD', students);
  const importId = await importReading(system, district, sshd, 'in', {});
  for (const [i, file] of FILES.entries()) {
    const path = putServerFile(sshd, 'in', file.name, file.content);
    const at = new Date(Date.UTC(2026, 0, 1, 0, i));
    utimesSync(path, at, at);
  }
  const uncaught = watchUncaught();
  const started = performance.now();
  const { runId } = await startRun(system, district.key, importId);

  // a file that stalls the pipeline would show as a run still going after a minute
  const { run, report } = await assertSurvived(system, district.key, runId, [], 60_000);
  t.diagnostic(`${FILES.length} hostile files (${(FILES.reduce((n, f) => n + f.content.length, 0) / 1024 / 1024).toFixed(1)} MB): the run took ${Math.round(performance.now() - started)} ms`);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  const rowErrors = report.problems.filter((p: { severity: string }) => p.severity === 'error').map((p: { file: string; line: number; code: string }) => `${p.file}:${p.line}:${p.code}`);
  assert.deepEqual(rowErrors.sort(), FILES.flatMap((f) => f.problems.map(([line, code]) => `${f.name}:${line}:${code}`)).sort());
  assert.equal(run.progress.rowsApplied, FILES.length * 3, 'every good row applied');
  assert.ok(run.files.every((f: { renamedTo: string | null }) => f.renamedTo?.startsWith('P_IC_Eligibility_')), 'each file is processed and renamed');

  putServerFile(sshd, 'in', 'IC_Eligibility_next.csv', eligibilityFile(['H-next']));
  await assertNotWedged(system, district.key, importId);
});
