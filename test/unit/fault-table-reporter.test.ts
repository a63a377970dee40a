import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: a plain .mjs reporter that node loads itself, without types
import faultTableReporter from '../faults/fault-table-reporter.mjs';

type Event = { type: string; data: Record<string, unknown> };

async function tableOf(events: Event[]): Promise<string> {
  async function* source() {
    yield* events;
  }
  let out = '';
  for await (const chunk of faultTableReporter(source())) out += chunk;
  return out;
}

const ended = (type: 'test:pass' | 'test:fail', name: string, extra: Record<string, unknown> = {}): Event => ({
  type,
  data: { name, nesting: 0, details: { duration_ms: 1500 }, ...extra },
});

describe('the faults-survived table', () => {
  it('counts top-level fault tests only, and tells survived, failed, known failures and skipped apart', async () => {
    const table = await tableOf([
      ended('test:pass', 'fault: server restarts'),
      ended('test:fail', 'fault: disk fills'),
      ended('test:fail', 'fault: file grows', { todo: 'known bug' }),
      ended('test:pass', 'fault: needs root', { skip: 'not root' }),
      ended('test:pass', 'an ordinary test'),
      { type: 'test:pass', data: { name: 'fault: nested', nesting: 1 } },
      { type: 'test:diagnostic', data: { message: 'fault: not a test' } },
    ]);
    const rows = table.trim().split('\n');
    assert.equal(rows[0], 'faults survived 1 of 4');
    assert.deepEqual(
      rows.slice(2).map((row) => row.split(/\s{2,}/)),
      [
        ['server restarts', 'survived', '1.5 s'],
        ['disk fills', 'failed', '1.5 s'],
        ['file grows', 'failed (known)', '1.5 s'],
        ['needs root', 'not run', '1.5 s'],
      ],
    );
  });

  it('prints nothing when no fault test ran', async () => {
    assert.equal(await tableOf([ended('test:pass', 'an ordinary test')]), '');
  });
});
