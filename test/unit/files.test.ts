import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changedSinceListing,
  hasChanged,
  isPartialUpload,
  processedName,
  selectFiles,
  skippedFileProblem,
  splitExtension,
  type ListedFile,
} from '../../domain/files';
import { isEligibilityFileName } from '../../kinds/eligibility/files';
import { isRosterFileName, rosterErrorFileName } from '../../kinds/students/files';

function file(name: string, modifiedAt: string, size = 100): ListedFile {
  return { name, size, modifiedAt: new Date(modifiedAt) };
}

test('eligibility files are those whose names start with IC_Eligibility, case-sensitive', () => {
  assert.equal(isEligibilityFileName('IC_Eligibility.csv'), true);
  assert.equal(isEligibilityFileName('IC_Eligibility_oct.csv'), true);
  assert.equal(isEligibilityFileName('IC_EligibilityNov'), true);
  assert.equal(isEligibilityFileName('ic_eligibility_oct.csv'), false);
  assert.equal(isEligibilityFileName('IC_ELIGIBILITY_oct.csv'), false);
  assert.equal(isEligibilityFileName('Copy of IC_Eligibility.csv'), false);
  assert.equal(isEligibilityFileName('P_IC_Eligibility_oct_20261123T040000Z.csv'), false);
});

test('partial uploads are recognised by .part, .filepart and .tmp in any case', () => {
  for (const name of ['IC_Eligibility.csv.part', 'IC_Eligibility.csv.filepart', 'IC_Eligibility.tmp', 'IC_Eligibility.csv.TMP']) {
    assert.equal(isPartialUpload(name), true, name);
  }
  for (const name of ['IC_Eligibility.csv', 'IC_Eligibility_part.csv', 'IC_Eligibility.parts']) {
    assert.equal(isPartialUpload(name), false, name);
  }
});

test('selection takes matching files oldest first, names breaking ties, and skips partial uploads with a warning', () => {
  const listing = [
    file('IC_Eligibility_b.csv', '2026-11-02T10:00:00Z'),
    file('readme.txt', '2026-01-01T00:00:00Z'),
    file('IC_Eligibility_new.csv', '2026-11-03T10:00:00Z'),
    file('P_IC_Eligibility_old_20261001T000000Z.csv', '2026-10-01T00:00:00Z'),
    file('IC_Eligibility_a.csv', '2026-11-02T10:00:00Z'),
    file('IC_Eligibility_oldest.csv', '2026-11-01T10:00:00Z'),
    file('IC_Eligibility_upload.csv.filepart', '2026-10-01T00:00:00Z'),
    file('ic_eligibility_lower.csv', '2026-10-01T00:00:00Z'),
  ];
  const { take, skipped } = selectFiles(listing, isEligibilityFileName);
  assert.deepEqual(
    take.map((f) => f.name),
    ['IC_Eligibility_oldest.csv', 'IC_Eligibility_a.csv', 'IC_Eligibility_b.csv', 'IC_Eligibility_new.csv'],
  );
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0]?.name, 'IC_Eligibility_upload.csv.filepart');
  assert.equal(skipped[0]?.code, 'FILE_STILL_WRITING');
  const problem = skippedFileProblem(skipped[0]!);
  assert.deepEqual(
    { file: problem.file, line: problem.line, severity: problem.severity, code: problem.code },
    { file: 'IC_Eligibility_upload.csv.filepart', line: null, severity: 'warning', code: 'FILE_STILL_WRITING' },
  );
});

test('selection keeps the caller’s file objects and works with another kind’s name rule', () => {
  const listing = [{ ...file('students.csv', '2026-11-01T00:00:00Z'), extra: 1 }, { ...file('other.csv', '2026-11-01T00:00:00Z'), extra: 2 }];
  const { take } = selectFiles(listing, (name) => name === 'students.csv');
  assert.deepEqual(take, [listing[0]]);
  assert.deepEqual(selectFiles(listing, (name) => name.startsWith('P_')).take, []);
});

test('a partial upload is judged by the name it will have: an exact-name kind still hears about its file in progress', () => {
  const listing = [file('students.csv.part', '2026-11-01T00:00:00Z'), file('other.csv.tmp', '2026-11-01T00:00:00Z')];
  const { take, skipped } = selectFiles(listing, (name) => name === 'students.csv');
  assert.deepEqual(take, []);
  assert.deepEqual(skipped.map((s) => [s.name, s.code]), [['students.csv.part', 'FILE_STILL_WRITING']]);
});

test('a file whose size or mtime changed between listing and claim counts as changed', () => {
  const listed = file('IC_Eligibility.csv', '2026-11-01T00:00:00Z', 100);
  assert.equal(hasChanged(listed, file('IC_Eligibility.csv', '2026-11-01T00:00:00Z', 100)), false);
  assert.equal(hasChanged(listed, file('IC_Eligibility.csv', '2026-11-01T00:00:00Z', 120)), true);
  assert.equal(hasChanged(listed, file('IC_Eligibility.csv', '2026-11-01T00:00:01Z', 100)), true);
  assert.equal(hasChanged(listed, undefined), true);
  const skip = changedSinceListing('IC_Eligibility.csv');
  assert.equal(skip.code, 'FILE_STILL_WRITING');
  assert.match(skip.message, /changed since it was listed/);
});

test('processedName puts P_ in front and a UTC timestamp before the extension', () => {
  const at = new Date('2026-11-23T04:00:00Z');
  assert.equal(processedName('IC_Eligibility_oct.csv', at), 'P_IC_Eligibility_oct_20261123T040000Z.csv');
  assert.equal(processedName('IC_Eligibility', at), 'P_IC_Eligibility_20261123T040000Z');
  assert.equal(processedName('IC_Eligibility.v2.txt', at), 'P_IC_Eligibility.v2_20261123T040000Z.txt');
  assert.equal(processedName('students.csv', new Date('2026-01-02T03:04:05.678-06:00')), 'P_students_20260102T090405Z.csv');
  assert.throws(() => processedName('IC_Eligibility.csv', new Date('nope')), RangeError);
});

test('splitExtension treats leading and trailing dots as no extension', () => {
  assert.deepEqual(splitExtension('a.csv'), { stem: 'a', ext: '.csv' });
  assert.deepEqual(splitExtension('.hidden'), { stem: '.hidden', ext: '' });
  assert.deepEqual(splitExtension('name.'), { stem: 'name.', ext: '' });
});

test('a roster import takes students.csv only, by its exact name; partial uploads and processed files as for every kind', () => {
  const listing = [
    file('students.csv', '2026-11-23T03:00:00Z'),
    file('Students.csv', '2026-11-23T03:00:00Z'),
    file('students.CSV', '2026-11-23T03:00:00Z'),
    file('students.csv.part', '2026-11-23T03:00:00Z'),
    file('students.csv.TMP', '2026-11-23T03:00:00Z'),
    file('P_students_20261122T040000Z.csv', '2026-11-22T04:00:00Z'),
    file('students_errors_20261122T040000Z.csv', '2026-11-22T04:00:00Z'),
    file('old students.csv', '2026-11-23T03:00:00Z'),
  ];
  const selection = selectFiles(listing, isRosterFileName);
  assert.deepEqual(selection.take.map((f) => f.name), ['students.csv']);
  assert.deepEqual(selection.skipped.map((s) => [s.name, s.code]), [
    ['students.csv.TMP', 'FILE_STILL_WRITING'],
    ['students.csv.part', 'FILE_STILL_WRITING'],
  ]);
});

test('the roster error file is named after the run\'s end in UTC, as processed files are', () => {
  assert.equal(rosterErrorFileName(new Date('2026-11-23T04:00:00.123Z')), 'students_errors_20261123T040000Z.csv');
});
