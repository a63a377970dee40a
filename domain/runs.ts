import type { SmbSession } from './connection';
import { compactUtcTimestamp, type ListedFile } from './files';

/** What crosses Temporal: ids, modes and counts only, never row data or secrets. */
export type RunMode = 'test' | 'run';
export type RunTrigger = 'manual' | 'schedule' | 'batch';

export interface ImportRunInput {
  /** Given when the API created the run row first; a schedule-started run gets one from the workflow. */
  runId?: string;
  importId: string;
  mode: RunMode;
  trigger: RunTrigger;
  /** A batch submission's start time (ISO instant): the workflow waits for it on a durable timer before the run begins. */
  startAt?: string;
  /** Set when the run's workflow continued as new: where the run is; batch wait, beginRun and listing are behind it. */
  continued?: RunPosition;
}

/** What a run's workflow carries across continue-as-new: ids and counts only, never the listing. */
export interface RunPosition {
  runId: string;
  chunkSize: number;
  /** Files in the run's stored listing (run_listing), and those its caps left for the next run. */
  files: number;
  filesWaiting: number;
  /** The next file to claim, by ordinal. */
  nextOrdinal: number;
  rowsRead: number;
  rowsApplied: number;
  /** Rows the run may still stage (MAX_ROWS_PER_RUN less the rows staged so far). */
  rowBudget: number;
}

/** What a batch submission chose, fixed when it is submitted; `startAt` is already "now" for a time in the past. */
export interface BatchOptions {
  id: string;
  startAt: Date;
  highPriority: boolean;
  keepUntilDeleted: boolean;
}

/** Which run a chunk belongs to; a dry run (`test`) changes only its own copy of what it touches. */
export interface RunScope {
  runId: string;
  districtId: string;
  mode: RunMode;
}

export interface ImportRunResult {
  runId: string;
  status: 'completed';
  files: number;
  rowsRead: number;
  rowsApplied: number;
}

/** A listed file as it crosses Temporal: its modification time as ISO text. */
export type ListedFileJson = Omit<ListedFile, 'modifiedAt'> & { modifiedAt: string };

export type TestConnectionResult =
  | { ok: true; latencyMs: number; files: ListedFileJson[]; fingerprint: string | null; keyType?: string; session?: SmbSession }
  | { ok: false; latencyMs: number; error: { code: string; message: string; fingerprint?: string; keyType?: string } };

/** The custom (Keyword) search attributes of runs and schedules; the namespace must have them. */
export const SEARCH_ATTRIBUTES = { districtId: 'DistrictId', importId: 'ImportId', runMode: 'RunMode' } as const;

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unnamed';
}


/*
 * Workflow and schedule ids: readable in the Web UI (district and import names first) and unique by
 * construction (a whole UUID last), since districts and imports in different districts may share names.
 */

/**
 * A run started by the API (or a batch), e.g.
 * `run/lincoln-usd/third-party-eligibility-import-1/20261123T040000Z-9b1e6a52-0d7c-4e0e-8f5f-2d8b7f3c1a90`;
 * `uniqueSuffix` is a UUID (the run's id), kept whole.
 */
export function runWorkflowId(p: { kind: RunMode | 'test-connection'; districtName: string; importName: string; at: Date; uniqueSuffix: string }): string {
  return `${p.kind}/${slug(p.districtName)}/${slug(p.importName)}/${compactUtcTimestamp(p.at)}-${p.uniqueSuffix}`;
}

/** The import's one schedule, e.g. `schedule/lincoln-usd/nightly-3f2a1c4e-0b7d-4c55-9a63-2e1f0c9d8b7a`; renaming the import gives it a new id. */
export function scheduleIdOf(p: { districtName: string; importName: string; importId: string }): string {
  return `schedule/${slug(p.districtName)}/${slug(p.importName)}-${p.importId}`;
}

/**
 * The runs the import's schedule starts: Temporal appends the scheduled time, e.g.
 * `run/lincoln-usd/nightly-3f2a1c4e-0b7d-4c55-9a63-2e1f0c9d8b7a/scheduled-2026-11-23T04:00:00Z`.
 */
export function scheduledRunWorkflowId(p: { districtName: string; importName: string; importId: string }): string {
  return `run/${slug(p.districtName)}/${slug(p.importName)}-${p.importId}/scheduled`;
}

/** The id earlier builds gave an import's schedule (only 8 hex digits of its id); a save or the daily refresh replaces it by scheduleIdOf. */
export function legacyScheduleIdOf(p: { districtName: string; importName: string; importId: string }): string {
  return `schedule/${slug(p.districtName)}/${slug(p.importName)}-${p.importId.slice(0, 8)}`;
}
