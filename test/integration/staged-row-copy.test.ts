import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openStagedRowWriter } from '../../db/queries/copy-staged-rows';
import { findStagingResumePoint, saveStagingResumePoint, type StagingResumePoint } from '../../db/queries/staging-resume-points';
import { loadStagedRows as loadStoredRows, type StagedRow } from '../../db/queries/staging';
import { splitStagedFields } from '../../domain/staged-fields';
import { startTestSystem, type TestSystem } from '../support/system';

/** The staged rows as written: their fields split again, as a chunk reads each row. */
async function loadStagedRows(...args: Parameters<typeof loadStoredRows>): Promise<StagedRow[]> {
  return (await loadStoredRows(...args)).map(({ record, ...row }) => ({ ...row, fields: record === null ? null : splitStagedFields(record) }));
}

const POINT: StagingResumePoint = { bytes: 1, hashState: Buffer.from([1]), tail: Buffer.alloc(0), line: 1, seq: 0, header: null, blanks: { from: 0, count: 0 }, longestRowChars: 1 };

/** The COPY writer against real PostgreSQL: whatever a field holds comes back as it was written. */
describe('staged rows written with COPY', () => {
  let system: TestSystem;
  let runId = '';

  before(async () => {
    system = await startTestSystem();
    const district = await system.db.query<{ id: string }>(`insert into districts (name, time_zone) values ('Copy USD', 'UTC') returning id`);
    const run = await system.db.query<{ id: string }>(
      `insert into runs (district_id, import_name, kind, mode, trigger, status, workflow_id) values ($1, 'Copy', 'eligibility', 'test', 'manual', 'running', $2) returning id`,
      [district.rows[0]!.id, `copy-${randomUUID()}`],
    );
    runId = run.rows[0]!.id;
  });
  after(() => system?.stop());

  let files = 0;
  const newRunFile = async () => {
    const { rows } = await system.db.query<{ id: string }>(
      `insert into run_files (run_id, ordinal, name, size, modified_at, status) values ($1, $2, $3, 0, now(), 'claimed') returning id`,
      [runId, files, `f${files}.csv`],
    );
    files++;
    return rows[0]!.id;
  };
  const row = (seq: number, fields: string[] | null, problem: [string, string] | null = null): StagedRow => ({
    seq,
    line: seq + 2,
    fields,
    problemCode: problem?.[0] ?? null,
    problemMessage: problem?.[1] ?? null,
  });

  it('keeps tabs, line breaks, backslashes, quotes, unicode, empty and very long fields exactly', async () => {
    const runFileId = await newRunFile();
    const awkward = [
      ['a\tb', 'line1\nline2', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\t', '"quoted"', "it's", '{a,b}', 'NULL'],
      ['tab\tonly'],
      ['line feed\nonly'],
      ['carriage return\ronly'],
      ['', '', ''],
      [''],
      ['héllo wörld', '日本語', '😀 emoji', 'ß\u00a0nbsp', 'trailing space ', ' '],
      ['x'.repeat(1_000_000) + '\\\t\n', 'short'],
      [',', ';', '\\\\', '\\.', '.'],
    ];
    const written = awkward.map((fields, seq) => row(seq, fields));
    const writer = await openStagedRowWriter(system.db, runFileId);
    await writer.write(written.slice(0, 3));
    await writer.end(written.slice(3));
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 0, 100), written);
  });

  it('keeps a row that could not be read as a row without fields, with its problem', async () => {
    const runFileId = await newRunFile();
    const written = [row(0, ['ok']), row(1, null, ['MALFORMED_ROW', 'A quote\tis never\nclosed \\ here.']), row(2, ['ok too'])];
    const writer = await openStagedRowWriter(system.db, runFileId);
    await writer.end(written);
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 0, 3), written);
  });

  it('commits a long file in steps, by rows or by size, while the rest is still being written', async () => {
    const runFileId = await newRunFile();
    const count = async () => (await system.db.query<{ n: number }>('select count(*)::int as n from staged_rows where run_file_id = $1', [runFileId])).rows[0]!.n;
    const writer = await openStagedRowWriter(system.db, runFileId, { rowsPerCopy: 1000, charsPerCopy: 5000 });
    await writer.write([row(0, ['x'.repeat(6000)])]);
    assert.equal(await count(), 1, 'a COPY past the size ends and commits');
    await writer.write([row(1, ['short'])]);
    assert.equal(await count(), 1, 'the next COPY is still open');
    await writer.end();
    assert.equal(await count(), 2);
  });

  it('splits a file into several COPY statements and reads it back by seq range', async () => {
    const runFileId = await newRunFile();
    const written = Array.from({ length: 25 }, (_, seq) => row(seq, [String(seq), `v${seq}`]));
    const writer = await openStagedRowWriter(system.db, runFileId, { rowsPerCopy: 4 });
    for (let i = 0; i < written.length; i += 3) await writer.write(written.slice(i, i + 3));
    await writer.end();
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 10, 20), written.slice(10, 20));
  });

  it('commits what beforeCommit writes with exactly the rows of its COPY', async () => {
    const runFileId = await newRunFile();
    let written = 0;
    const writer = await openStagedRowWriter(system.db, runFileId, {
      rowsPerCopy: 4,
      beforeCommit: (tx) => saveStagingResumePoint(tx, runFileId, { ...POINT, seq: written }),
    });
    for (; written < 10; ) {
      const rows = [row(written, ['a']), row(written + 1, ['b'])];
      written += rows.length;
      await writer.write(rows);
    }
    writer.abort();
    const staged = (await system.db.query<{ n: number }>('select count(*)::int as n from staged_rows where run_file_id = $1', [runFileId])).rows[0]!.n;
    assert.equal(staged, 8, 'two COPYs of four committed; the fifth, open, did not');
    assert.equal((await findStagingResumePoint(system.db, runFileId))?.seq, 8);
  });

  it('keeps nothing of a COPY in progress when aborted, and gives its connection back', async () => {
    const runFileId = await newRunFile();
    const idleBefore = system.db.totalCount - system.db.idleCount;
    const writer = await openStagedRowWriter(system.db, runFileId);
    await writer.write([row(0, ['a']), row(1, ['b'])]);
    writer.abort();
    assert.equal(system.db.totalCount - system.db.idleCount, idleBefore);
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 0, 10), []);
    const again = await openStagedRowWriter(system.db, runFileId);
    await again.end([row(0, ['c'])]);
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 0, 10), [row(0, ['c'])]);
  });

  it('fails the next write or the end, neither crashing nor hanging, when PostgreSQL refuses the COPY meanwhile', { timeout: 30_000 }, async () => {
    const runFileId = await newRunFile();
    const connectionsBefore = system.db.totalCount - system.db.idleCount;
    const writer = await openStagedRowWriter(system.db, runFileId);
    // the same seq twice breaks the primary key while the caller is busy elsewhere (reading the file);
    // enough rows follow for PostgreSQL to insert them (it buffers a COPY's rows) before the end
    await writer.write([row(0, ['a']), ...Array.from({ length: 5000 }, (_, i) => row(i, ['x'.repeat(100)]))]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await assert.rejects(writer.end([row(1, ['c'])]), (error: { code?: string }) => error.code === '23505');
    assert.equal(system.db.totalCount - system.db.idleCount, connectionsBefore, 'the connection is given back');
    assert.deepEqual(await loadStagedRows(system.db, runFileId, 0, 10), []);
  });

  it('refuses a field holding the separator instead of splitting it later', async () => {
    const runFileId = await newRunFile();
    const writer = await openStagedRowWriter(system.db, runFileId);
    await assert.rejects(writer.write([row(0, ['a\u001fb'])]), { name: 'StagedFieldError' });
  });
});
