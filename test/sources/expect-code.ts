import assert from 'node:assert/strict';
import { ConnectionError } from '../../domain/connection-errors';

/** Asserts that `promise` rejects with a ConnectionError of `code`, and returns it. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<ConnectionError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, but it succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConnectionError, `expected ConnectionError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}
