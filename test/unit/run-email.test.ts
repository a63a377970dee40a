import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logMailer } from '../../mail/mailer';
import { composeRunEmail, type RunEmailFacts } from '../../mail/run-email';

const FACTS: RunEmailFacts = {
  importName: 'Nightly Roster',
  kind: 'students',
  runId: 'run-1',
  status: 'completed',
  finishedAt: new Date('2026-11-23T04:00:00Z'),
  error: null,
  location: 'SFTP files.example.org:22, directory ScheduledImports/Roster',
  files: [{ name: 'students.csv', status: 'done', renamedTo: 'P_students_20261123T040000Z.csv', rows: 12 }],
  fileErrors: new Map(),
  summary: [
    ['added', 3],
    ['updated', 4],
    ['activated', 1],
    ['deactivated', 2],
    ['errors', 2],
  ],
  rowErrors: [
    { code: 'MISSING_LICENSES', count: 1 },
    { code: 'SCHOOL_ERR', count: 1 },
  ],
  errorFile: 'students_errors_20261123T040000Z.csv',
  errorFileProblem: null,
};

test('a run with failing rows: the subject says so; the text has the counts, the codes and where the error file is', () => {
  const { subject, text } = composeRunEmail(FACTS);
  assert.equal(subject, 'Import "Nightly Roster": completed, 2 rows failed');
  assert.match(text, /^added 3, updated 4, activated 1, deactivated 2, errors 2\.$/m);
  assert.match(text, /^2 rows failed: MISSING_LICENSES 1, SCHOOL_ERR 1\. The other rows were applied\.$/m);
  assert.match(text, /students_errors_20261123T040000Z\.csv in the same directory/);
  assert.match(text, /directory ScheduledImports\/Roster/);
});

test('a clean run gives the counts and mentions no failure', () => {
  const { subject, text } = composeRunEmail({ ...FACTS, summary: [['added', 1], ['updated', 0], ['activated', 0], ['deactivated', 0], ['errors', 0]], rowErrors: [], errorFile: null });
  assert.equal(subject, 'Import "Nightly Roster": completed');
  assert.doesNotMatch(text, /fail/i);
});

test('a failed run or a failed file says FAILED and what failed; an unwritten error file is named as such', () => {
  const failedRun = composeRunEmail({ ...FACTS, status: 'failed', error: { code: 'AUTH_FAILED', message: 'SFTP files.example.org:22: the login was refused.' }, files: [], rowErrors: [], errorFile: null });
  assert.equal(failedRun.subject, 'Import "Nightly Roster": FAILED');
  assert.match(failedRun.text, /The run failed: AUTH_FAILED: SFTP files\.example\.org:22: the login was refused\./);

  const failedFile = composeRunEmail({ ...FACTS, files: [{ name: 'students.csv', status: 'failed', renamedTo: null, rows: 3 }], fileErrors: new Map([['students.csv', 'HEADER_MISMATCH']]), rowErrors: [], errorFile: null });
  assert.equal(failedFile.subject, 'Import "Nightly Roster": FAILED');
  assert.match(failedFile.text, /students\.csv: NOT applied \(HEADER_MISMATCH\).*left in place/);

  const unwritten = composeRunEmail({ ...FACTS, errorFile: null, errorFileProblem: 'PERMISSION_DENIED on the directory' });
  assert.match(unwritten.text, /The error file could not be written: PERMISSION_DENIED on the directory/);
});

test('without SMTP_URL the message is one log line', async () => {
  const lines: string[] = [];
  const { subject, text } = composeRunEmail(FACTS);
  assert.equal(await logMailer((line) => lines.push(line)).send({ to: ['data@district.org'], subject, text }), 'logged');
  assert.equal(lines.length, 1);
  assert.doesNotMatch(lines[0]!, /\n/);
  assert.deepEqual(JSON.parse(lines[0]!), { event: 'run e-mail not sent: SMTP_URL is not set', to: ['data@district.org'], subject, text });
});
