import type { RosterOutcome } from './status-table';

/** A roster report's summary: each applied row counts once by its outcome, each failed row in errors. */
export interface RosterSummary {
  added: number;
  updated: number;
  activated: number;
  deactivated: number;
  errors: number;
}

/** What became of one row of the file. */
export type RosterRowOutcome = { line: number; outcome: RosterOutcome } | { line: number; error: string };

export const emptyRosterSummary = (): RosterSummary => ({ added: 0, updated: 0, activated: 0, deactivated: 0, errors: 0 });

export function summarizeRosterRows(rows: readonly RosterRowOutcome[]): RosterSummary {
  const summary = emptyRosterSummary();
  for (const row of rows) {
    if ('error' in row) summary.errors += 1;
    else summary[row.outcome] += 1;
  }
  return summary;
}

/** The summary of a file or run from its chunks' summaries. */
export function addRosterSummaries(a: RosterSummary, b: RosterSummary): RosterSummary {
  return { added: a.added + b.added, updated: a.updated + b.updated, activated: a.activated + b.activated, deactivated: a.deactivated + b.deactivated, errors: a.errors + b.errors };
}
