import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchEntry } from './entry';
import type { Machine } from './machine';

export interface BenchResult {
  date: string;
  machine: Machine;
  options: { chunkSize: number; kill: number };
  entries: BenchEntry[];
}

export function printTable(entries: readonly BenchEntry[]): void {
  const head = ['kind', 'rows', 'MB', 'wall s', 'stage s', 'apply s', 'rows/s', 'peak RSS MB', 'start-up peak', 'history events', 'per file', 'COPY rows/s', 'ratio to COPY'];
  const body = entries.map((e) => [
    e.kind,
    e.rows.toLocaleString('en-US'),
    (e.bytes / 1e6).toFixed(1),
    e.wallSeconds.toFixed(2),
    e.stageSeconds.toFixed(2),
    e.applySeconds.toFixed(2),
    e.rowsPerSecond.toLocaleString('en-US'),
    e.peakRssMb.toFixed(0),
    e.startupPeakRssMb.toFixed(0),
    String(e.historyEvents),
    String(e.historyEventsPerFile),
    e.copyRowsPerSecond.toLocaleString('en-US'),
    e.ratioToCopy.toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(['', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n'));
  for (const e of entries.filter((x) => x.resumes?.length)) {
    const total = e.resumes!.reduce((sum, r) => sum + r.seconds, 0);
    console.log(`\nresumes after SIGKILL (${e.kind}, ${e.rows.toLocaleString('en-US')} rows), new worker's start → next progress:`);
    for (const r of e.resumes!) console.log(`  ${r.point}: ${r.seconds.toFixed(1)} s${r.resumedFromByte === undefined ? '' : `, download read on from byte ${r.resumedFromByte.toLocaleString('en-US')}`}`);
    console.log(`  total ${total.toFixed(1)} s over ${e.resumes!.length} kill(s)`);
  }
}

/** Writes bench/results/<timestamp>.json and bench/results/latest.json; answers the first path. */
export function writeResult(result: BenchResult, dir = join(process.cwd(), 'bench/results')): string {
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(result, null, 2) + '\n';
  const path = join(dir, `${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, text);
  writeFileSync(join(dir, 'latest.json'), text);
  return path;
}
