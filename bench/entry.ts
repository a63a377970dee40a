import type { RunMeasure } from './measure-run';

/** One measured file, as bench/results/*.json holds it. */
export interface BenchEntry {
  kind: 'eligibility' | 'students';
  rows: number;
  bytes: number;
  wallSeconds: number;
  /** Of the wall seconds: downloading and staging the file (`stageFile`), and applying its chunks (`applyChunks`). */
  stageSeconds: number;
  applySeconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  startupPeakRssMb: number;
  historyEvents: number;
  historyEventsPerFile: number;
  workflowExecutions: number;
  copyRowsPerSecond: number;
  ratioToCopy: number;
  summary: Record<string, number> | null;
  resumes?: { point: string; seconds: number; resumedFromByte?: number }[];
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

export function benchEntry(kind: BenchEntry['kind'], rows: number, bytes: number, measured: RunMeasure, copyRowsPerSecond: number): BenchEntry {
  const files = Math.max(1, measured.run.files.filter((f: { status: string }) => f.status !== 'skipped').length);
  const rowsPerSecond = rows / measured.wallSeconds;
  return {
    kind,
    rows,
    bytes,
    wallSeconds: round(measured.wallSeconds, 2),
    stageSeconds: round(measured.activitySeconds.stageFile ?? 0, 2),
    applySeconds: round(measured.activitySeconds.applyChunks ?? 0, 2),
    rowsPerSecond: Math.round(rowsPerSecond),
    peakRssMb: round(measured.peakRssMb, 1),
    startupPeakRssMb: round(measured.startupPeakRssMb, 1),
    historyEvents: measured.historyEvents,
    historyEventsPerFile: Math.round(measured.historyEvents / files),
    workflowExecutions: measured.executions,
    copyRowsPerSecond: Math.round(copyRowsPerSecond),
    ratioToCopy: round(rowsPerSecond / copyRowsPerSecond, 4),
    summary: measured.run.summary,
    ...(measured.resumes.length ? { resumes: measured.resumes.map((r) => ({ point: r.point, seconds: round(r.seconds, 2), ...(r.resumedFromByte === undefined ? {} : { resumedFromByte: r.resumedFromByte }) })) } : {}),
  };
}

/** The run must have completed with its file processed and renamed on the server; answers the renamed name. */
export function assertProcessed(measured: RunMeasure): string {
  const { run } = measured;
  if (run.status !== 'completed') throw new Error(`the run ended ${run.status}: ${JSON.stringify(run.error)}`);
  const file = run.files.find((f: { status: string }) => f.status === 'processed');
  if (!file?.renamedTo) throw new Error(`the file was not processed and renamed: ${JSON.stringify(run.files)}`);
  return file.renamedTo;
}
