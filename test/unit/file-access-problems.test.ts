import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionError, fileError } from '../../domain/connection-errors';
import type { ConnectionSettings } from '../../domain/connection';
import { fileAccessProblem } from '../../domain/file-access-problems';

const SETTINGS: ConnectionSettings = { protocol: 'sftp', host: 'files.example.org', port: 22, username: 'u', directoryPath: 'in' };
const NAME = 'IC_Eligibility_x.csv';

test('a file the server will not read, or no longer has, is that file\'s problem', () => {
  assert.equal(fileAccessProblem(connectionError('PERMISSION_DENIED', SETTINGS), NAME, 'read')?.code, 'FILE_NOT_READABLE');
  assert.equal(fileAccessProblem(fileError('FILE_NOT_FOUND', SETTINGS, NAME, 'gone'), NAME, 'read')?.code, 'FILE_VANISHED');
});

test('an unsafe name is that file\'s problem, reading or renaming', () => {
  const error = fileError('UNSAFE_FILE_NAME', SETTINGS, '../etc', 'refused');
  assert.deepEqual([fileAccessProblem(error, '../etc', 'read')?.code, fileAccessProblem(error, '../etc', 'rename')?.code], ['UNSAFE_FILE_NAME', 'UNSAFE_FILE_NAME']);
});

test('a refused rename is FILE_NOT_RENAMED, an error on the file with its name', () => {
  const problem = fileAccessProblem(fileError('FILE_EXISTS', SETTINGS, 'P_x.csv', 'exists'), NAME, 'rename');
  assert.deepEqual(problem && { file: problem.file, line: problem.line, severity: problem.severity, code: problem.code }, { file: NAME, line: null, severity: 'error', code: 'FILE_NOT_RENAMED' });
});

test('connection-level failures and anything else still fail the run', () => {
  for (const code of ['AUTH_FAILED', 'HOST_KEY_MISMATCH', 'TIMEOUT', 'PROTOCOL_ERROR', 'CONNECTION_REFUSED'] as const) {
    assert.equal(fileAccessProblem(connectionError(code, SETTINGS), NAME, 'read'), undefined, code);
  }
  assert.equal(fileAccessProblem(new Error('PERMISSION_DENIED'), NAME, 'read'), undefined);
});
