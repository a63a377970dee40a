import type { z } from 'zod';
import type { DbClient } from '../db/pool';
import type { District } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import type { Queryable } from '../db/queries/queryable';
import type { StoredReportRecord } from '../db/queries/reports';
import type { Delimiter } from '../domain/delimited';
import type { Problem, Severity } from '../domain/problems';
import type { RunScope } from '../domain/runs';

/**
 * An import kind: what one kind of import adds to the shared pipeline (list → claim → stage →
 * apply in chunks → rename → complete). The pipeline owns connections, partial uploads, claiming,
 * staging, the chunk ledger, duplicate content, renaming, dry-run discipline and the report tables;
 * a kind owns everything below. Register a kind in kinds/index.ts.
 *
 * Settings are the kind's per-import configuration (eligibility: its mapping). A run works from the
 * snapshot taken when it was created, validated again with `settingsSchema` in every activity.
 */
export interface Kind<Settings = unknown, Row = unknown> {
  /** The `kind` of an import, e.g. `eligibility`. */
  readonly name: string;
  /** Where an import's settings come from: its mapping (`mappingId` required), or nowhere (`mappingId` refused). */
  readonly settingsFrom: 'mapping' | 'none';
  readonly settingsSchema: z.ZodType<Settings>;
  /** The import's current settings, for a new run's snapshot; a KindSettingsError when they are missing. */
  loadSettings(db: Queryable, imp: StoredImport): Promise<Settings>;

  /** Whether a file name is this kind's. Processed (`P_`) names and partial uploads are the pipeline's to set aside. */
  takesFile(name: string): boolean;
  fileFormat(settings: Settings): FileFormat;
  /** A problem fails the whole file before anything applies; it stays in place. */
  checkHeader(settings: Settings, header: readonly string[] | null): Problem | null;
  /**
   * Reads the rows of one file (with the header checkHeader accepted): a typed row, or a row error. A kind
   * whose row errors depend on earlier rows (the roster's DUPLICATE_ID outranks a row's own errors) hands
   * every row on and reports its errors from applyRows. Rows the file reader could not read (MALFORMED_ROW)
   * never reach the kind.
   */
  rowReader(settings: Settings, header: readonly string[] | null, district: District): (fields: readonly string[], line: number) => RowResult<Row>;
  /**
   * Applies one chunk's rows, in file order, inside the chunk's transaction. A dry run (scope.mode
   * `test`) goes through the same code and must change no real data. Returns the chunk's report
   * records and problems; the pipeline stores them with the chunk's ledger row.
   */
  applyRows(tx: DbClient, chunk: RowsChunk<Settings, Row>): Promise<AppliedRows>;
  /** Drops what the kind kept for the run while it ran (a dry run's private copy); runs when the run ends. */
  clearRun(db: Queryable, runId: string): Promise<void>;

  /** The summary's keys, in the order the API shows them. */
  readonly summary: readonly SummaryCount[];
  readonly report: ReportShape;
  /**
   * After a real run has completed or failed: the file to write back into the run's directory (e.g. the
   * failing rows), or null. Never after a dry run. A kind that has one gets the raw fields of its failing
   * rows kept with their problems (loadFailingRows). The pipeline writes the file and sends the e-mail.
   */
  errorFile?(context: ErrorFileContext<Settings>): Promise<KindFile | null>;
}

/** How a kind's files become records. */
export interface FileFormat {
  delimiter: Delimiter;
  encoding: BufferEncoding;
  /** The first non-blank line is a header: stored on the run file, given to checkHeader and rowReader. */
  hasHeader: boolean;
  /** Blank lines are dropped, or staged as a row of one empty field for the kind to report. */
  blankLines: 'skip' | 'stage';
}

export type RowResult<Row> = { ok: true; row: Row } | { ok: false; problem: Problem };

export interface RowsChunk<Settings, Row> {
  scope: RunScope;
  /** The file the rows come from: its earlier chunks' report records and staged rows can be read by this id. */
  runFileId: string;
  settings: Settings;
  /** The chunk's rows that read well, in file order. */
  rows: { line: number; row: Row }[];
  /**
   * For a kind to call once it holds every row lock the chunk takes on the data it changes (eligibility: its
   * students, found and locked in one statement). The file's next chunk then starts on another connection: it
   * queues behind those locks, so a student in both chunks still sees this chunk's rows first, and it commits
   * only after this chunk has. A kind that never calls it has its chunks applied one after another.
   */
  locked?: () => void;
}

export interface AppliedRows {
  rowsApplied: number;
  records: ReportRecord[];
  /** Row problems; the pipeline adds the file name. */
  problems: Problem[];
}

/** A report record as a kind writes it: the columns every kind has, and its own fields. */
export interface ReportRecord {
  line: number;
  /** Order among the records of one line. */
  ord: number;
  /** The student the record is about, by the district's student number. */
  student: string;
  /** What happened, e.g. `New` or `added`; summaries count records by it. */
  status: string;
  data: Record<string, unknown>;
}

/** One summary key: how many records have a status, or how many problems have a severity. */
export type SummaryCount = { key: string; status: string } | { key: string; severity: Severity };

/** A report record for the API: JSON `{file, line, ...present(record)}`, CSV columns `type, file, line, ...columns, severity, code, message`. */
export interface ReportShape {
  readonly columns: readonly string[];
  /** The record's values keyed by `columns`, in that order. */
  present(record: StoredReportRecord): Record<string, unknown>;
}

/** Staged rows are gone by now: the failing rows' raw fields are kept with their problems (loadFailingRows). */
export interface ErrorFileContext<Settings> {
  run: { id: string; status: 'completed' | 'failed'; finishedAt: Date };
  settings: Settings;
  db: Queryable;
}

/** A file a kind writes into the run's directory; a file of the same name is replaced (a retried write is harmless). */
export interface KindFile {
  name: string;
  content: Buffer;
}

/** The import's settings for its kind are missing or unusable; the code names what (e.g. `MAPPING_NOT_FOUND`). */
export class KindSettingsError extends Error {
  override readonly name = 'KindSettingsError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
