import assert from 'node:assert/strict';
import { licenceViolations } from '../support/roster';
import { waitForRun, type TestSystem } from '../support/system';

/**
 * What every fault must end with (issue 11): a run that ended with a code, a consistent database,
 * a report that says what happened, and an import that is not wedged.
 */

const FINAL_WITH_CODE = ['failed', 'canceled'];

/**
 * (a) Waits for the run to end (the run reaper is the last resort, so this waits longer than a reaper pass)
 * and checks it ended `completed`, or `failed`/`canceled` with an error code.
 */
export async function assertRunEnded(system: TestSystem, key: string, runId: string, timeoutMs = 150_000): Promise<any> {
  const run = await waitForRun(system, key, runId, timeoutMs);
  if (FINAL_WITH_CODE.includes(run.status)) {
    assert.match(String(run.error?.code ?? ''), /^[A-Z][A-Z_]+$/, `a ${run.status} run needs an error code: ${JSON.stringify(run.error)}`);
  } else {
    assert.equal(run.status, 'completed', JSON.stringify(run));
  }
  return run;
}

/** Sentences naming what is inconsistent about an ended run in the database; [] when nothing is. */
export async function inconsistencies(system: TestSystem, runId: string): Promise<string[]> {
  const found: string[] = [];
  const one = async (sql: string) => (await system.db.query(sql, [runId])).rows[0];

  const leftovers = await one(
    `select (select count(*) from staged_rows where run_file_id in (select id from run_files where run_id = $1))::int as staged,
            (select count(*) from dry_run_records where run_id = $1)::int as dry_records,
            (select count(*) from dry_run_students where run_id = $1)::int as dry_students,
            (select count(*) from dry_run_roster_orders where run_id = $1)::int as dry_orders,
            (select count(*) from dry_run_roster_students where run_id = $1)::int as dry_roster,
            (select count(*) from roster_file_students where run_file_id in (select id from run_files where run_id = $1))::int as roster_file`,
  );
  for (const [what, n] of Object.entries(leftovers)) if (n !== 0) found.push(`${n} ${what} row(s) left after the run ended`);

  // a problem written by a chunk whose ledger row is missing is a chunk that half-applied
  const orphanProblems = await one(
    `select count(*)::int as n from problems p where p.run_id = $1 and p.chunk_index is not null
       and not exists (select 1 from run_chunks c where c.run_file_id = p.run_file_id and c.chunk_index = p.chunk_index)`,
  );
  if (orphanProblems.n !== 0) found.push(`${orphanProblems.n} problem(s) of chunks without a ledger row`);

  // every row a committed chunk read left a report record or a row problem, and no other line did
  const perFile = await system.db.query<{ name: string; ledger_rows: number; reported_lines: number }>(
    `select f.name,
            coalesce((select sum(c.rows_read) from run_chunks c where c.run_file_id = f.id), 0)::int as ledger_rows,
            (select count(*) from (select line from report_records r where r.run_file_id = f.id
                                   union select line from problems p where p.run_file_id = f.id and p.chunk_index is not null and p.line is not null) lines)::int as reported_lines
     from run_files f where f.run_id = $1 order by f.ordinal`,
    [runId],
  );
  for (const f of perFile.rows) {
    if (f.ledger_rows !== f.reported_lines) found.push(`file ${JSON.stringify(f.name)}: the ledger says ${f.ledger_rows} row(s) were read, the report has ${f.reported_lines} line(s)`);
  }

  const progress = await one(
    `select r.rows_read, r.rows_applied, r.kind, r.mode, r.district_id,
            coalesce((select sum(c.rows_read) from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = r.id), 0)::int as ledger_read,
            coalesce((select sum(c.rows_applied) from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = r.id), 0)::int as ledger_applied,
            (select count(*) from eligibility_records e where e.source_run_id = r.id)::int as records
     from runs r where r.id = $1`,
  );
  if (progress.rows_read !== progress.ledger_read || progress.rows_applied !== progress.ledger_applied) {
    found.push(`the run's progress (${progress.rows_read} read, ${progress.rows_applied} applied) differs from its ledger (${progress.ledger_read}, ${progress.ledger_applied})`);
  }
  // the fault files give each student one row, so each applied row is one record of the run
  if (progress.kind === 'eligibility' && progress.mode === 'run' && progress.records !== progress.ledger_applied) {
    found.push(`${progress.records} eligibility record(s) of the run for ${progress.ledger_applied} applied row(s) in its ledger`);
  }
  if (progress.kind === 'students') found.push(...(await licenceViolations(system.db, progress.district_id)));
  return found;
}

/** (b) No partial chunk, nothing staged or dry-run left, progress equal to the ledger, licences conserved. */
export async function assertConsistent(system: TestSystem, runId: string): Promise<void> {
  assert.deepEqual(await inconsistencies(system, runId), []);
}

/**
 * (c) The report says what happened: it can be read, its summary agrees with the run, and a failed or
 * canceled run names its code; `codes` are problem or error codes this fault must show.
 */
export async function assertReportSays(system: TestSystem, key: string, run: any, codes: readonly string[] = []): Promise<any> {
  const res = await system.call('GET', `/api/runs/${run.id}/report?limit=10000`, { key });
  assert.equal(res.status, 200, res.text);
  const report = res.body;
  const said = new Set<string>([...report.problems.map((p: { code: string }) => p.code), ...(run.error?.code ? [run.error.code] : [])]);
  if (run.status !== 'completed') assert.ok(said.has(run.error.code), `the report of a ${run.status} run does not name ${run.error.code}`);
  for (const code of codes) assert.ok(said.has(code), `the report does not say ${code}: ${[...said].join(', ') || 'nothing'}`);
  return report;
}

/** (d) The import is not wedged: a new run of it starts and completes (the caller leaves it a file it can take). */
export async function assertNotWedged(system: TestSystem, key: string, importId: string, timeoutMs = 120_000): Promise<any> {
  const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
  assert.equal(started.status, 202, `a new run could not start: ${started.text}`);
  const run = await waitForRun(system, key, started.body.runId, timeoutMs);
  assert.equal(run.status, 'completed', `the next run did not complete: ${JSON.stringify(run.error)}`);
  return run;
}

/** (a)–(c) for one faulted run: its final state, the database's and the report's; `endsWithinMs` when the fault must be noticed, not waited out. */
export async function assertSurvived(
  system: TestSystem,
  key: string,
  runId: string,
  codes: readonly string[] = [],
  endsWithinMs?: number,
): Promise<{ run: any; report: any }> {
  const run = await assertRunEnded(system, key, runId, endsWithinMs);
  await assertConsistent(system, runId);
  const report = await assertReportSays(system, key, run, codes);
  return { run, report };
}

/**
 * Errors nobody handled while a fault was injected (in production each would crash the worker or the API,
 * which share this process in the test system); `assertNone` fails the fault when there were any.
 */
export function watchUncaught(): { assertNone(): void } {
  const seen: string[] = [];
  const onError = (error: unknown) => {
    seen.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return {
    assertNone() {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
      assert.deepEqual(seen, [], 'unhandled errors, each of which would have crashed the process');
    },
  };
}
