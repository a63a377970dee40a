import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideStatus } from '../../kinds/students/status-table';

// RULES.md "Student roster import": one test per cell of the status table (student now × status code).
// A cell that depends on the student's current order is checked on the enterprise order and on a regular one.

const ON_ENTERPRISE = true;
const ON_REGULAR = false;

test('active × A: update in place on the enterprise order; from a regular order, move to enterprise: 1 licence back, 1 from the holding bin', () => {
  assert.deepEqual(decideStatus('active', 'A', ON_ENTERPRISE), { action: 'update', outcome: 'updated', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
  assert.deepEqual(decideStatus('active', 'A', ON_REGULAR), { action: 'move', outcome: 'updated', status: 'active', order: 'enterprise', returnsLicence: true, takesFromHoldingBin: true });
});

test('active × D: deactivate, licence back to its own order, which it stays on', () => {
  const expected = { action: 'deactivate', outcome: 'deactivated', status: 'deactivated', order: 'current', returnsLicence: true, takesFromHoldingBin: false };
  assert.deepEqual(decideStatus('active', 'D', ON_ENTERPRISE), expected);
  assert.deepEqual(decideStatus('active', 'D', ON_REGULAR), expected);
});

test('active × X: STUDENT_EXISTS, no update', () => {
  assert.deepEqual(decideStatus('active', 'X', ON_ENTERPRISE), { action: 'error', code: 'STUDENT_EXISTS' });
  assert.deepEqual(decideStatus('active', 'X', ON_REGULAR), { action: 'error', code: 'STUDENT_EXISTS' });
});

test('active × I: as A — update; from a regular order, move to enterprise with its licence', () => {
  assert.deepEqual(decideStatus('active', 'I', ON_ENTERPRISE), { action: 'update', outcome: 'updated', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
  assert.deepEqual(decideStatus('active', 'I', ON_REGULAR), { action: 'move', outcome: 'updated', status: 'active', order: 'enterprise', returnsLicence: true, takesFromHoldingBin: true });
});

test('deactivated × A: activate on the enterprise order, 1 licence from the holding bin', () => {
  const expected = { action: 'activate', outcome: 'activated', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: true };
  assert.deepEqual(decideStatus('deactivated', 'A', ON_ENTERPRISE), expected);
  assert.deepEqual(decideStatus('deactivated', 'A', ON_REGULAR), expected);
});

test('deactivated × D: update; associated with enterprise, no licence', () => {
  assert.deepEqual(decideStatus('deactivated', 'D', ON_ENTERPRISE), { action: 'update', outcome: 'updated', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
  assert.deepEqual(decideStatus('deactivated', 'D', ON_REGULAR), { action: 'move', outcome: 'updated', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
});

test('deactivated × X: STUDENT_EXISTS, no update', () => {
  assert.deepEqual(decideStatus('deactivated', 'X', ON_ENTERPRISE), { action: 'error', code: 'STUDENT_EXISTS' });
  assert.deepEqual(decideStatus('deactivated', 'X', ON_REGULAR), { action: 'error', code: 'STUDENT_EXISTS' });
});

test('deactivated × I: update; associated with enterprise, no licence', () => {
  assert.deepEqual(decideStatus('deactivated', 'I', ON_ENTERPRISE), { action: 'update', outcome: 'updated', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
  assert.deepEqual(decideStatus('deactivated', 'I', ON_REGULAR), { action: 'move', outcome: 'updated', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
});

test('absent × A: create active on the enterprise order, 1 licence from the holding bin', () => {
  assert.deepEqual(decideStatus('absent', 'A', false), { action: 'create', outcome: 'added', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: true });
});

test('absent × D: STUDENT_NOT_FOUND', () => {
  assert.deepEqual(decideStatus('absent', 'D', false), { action: 'error', code: 'STUDENT_NOT_FOUND' });
});

test('absent × X: create deactivated on the enterprise order, no licence', () => {
  assert.deepEqual(decideStatus('absent', 'X', false), { action: 'create', outcome: 'added', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false });
});

test('absent × I: STUDENT_NOT_FOUND', () => {
  assert.deepEqual(decideStatus('absent', 'I', false), { action: 'error', code: 'STUDENT_NOT_FOUND' });
});
