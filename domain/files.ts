import { fileProblem, type Problem } from './problems';

/** A file as a directory listing shows it (the shape of `RemoteFile` in sources/file-source.ts). */
export interface ListedFile {
  name: string;
  size: number;
  modifiedAt: Date;
}

export const PROCESSED_FILE_PREFIX = 'P_';
/** Suffixes upload tools give a file while it is still being written (WinSCP, FileZilla, editors). */
export const PARTIAL_UPLOAD_SUFFIXES = ['.part', '.filepart', '.tmp'] as const;

export type SkipCode = 'FILE_STILL_WRITING';

export interface SkippedFile {
  name: string;
  code: SkipCode;
  message: string;
}

export interface FileSelection<F extends ListedFile> {
  /** The files to import, oldest modification time first (equal times: by name). */
  take: F[];
  /** Matching files left for a later run, each with a warning. */
  skipped: SkippedFile[];
}

/** Case-insensitive, because Windows tools write `.TMP` as readily as `.tmp`. */
export function isPartialUpload(name: string): boolean {
  const lower = name.toLowerCase();
  return PARTIAL_UPLOAD_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

export function isProcessedName(name: string): boolean {
  return name.startsWith(PROCESSED_FILE_PREFIX);
}

function compareByAgeThenName(a: ListedFile, b: ListedFile): number {
  const byTime = a.modifiedAt.getTime() - b.modifiedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `students.csv.part` → `students.csv`: the name the upload will have when it is complete. */
function completeName(name: string): string {
  const lower = name.toLowerCase();
  const suffix = PARTIAL_UPLOAD_SUFFIXES.find((s) => lower.endsWith(s));
  return suffix ? name.slice(0, -suffix.length) : name;
}

/**
 * The files of a listing that an import kind takes (`matches`, given the name a partial upload
 * will have when complete): complete ones to take in order, partial uploads to skip with a warning.
 */
export function selectFiles<F extends ListedFile>(files: readonly F[], matches: (name: string) => boolean): FileSelection<F> {
  const take: F[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    if (isProcessedName(file.name) || !matches(completeName(file.name))) continue;
    if (isPartialUpload(file.name)) {
      skipped.push(stillWriting(file.name, 'its name marks an upload in progress'));
    } else {
      take.push(file);
    }
  }
  take.sort(compareByAgeThenName);
  skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { take, skipped };
}

/**
 * Whether a file changed between listing and claim, so it may still be being written.
 * A file that is gone (`now` undefined) counts as changed.
 */
export function hasChanged(listed: ListedFile, now: ListedFile | undefined): boolean {
  return now === undefined || now.size !== listed.size || now.modifiedAt.getTime() !== listed.modifiedAt.getTime();
}

/** The skip entry for a file whose size or modification time changed since it was listed. */
export function changedSinceListing(name: string): SkippedFile {
  return stillWriting(name, 'its size or modification time changed since it was listed');
}

function stillWriting(name: string, reason: string): SkippedFile {
  return {
    name,
    code: 'FILE_STILL_WRITING',
    message: `File ${JSON.stringify(name)} was skipped because ${reason}; it will be taken in a later run.`,
  };
}

export function skippedFileProblem(skipped: SkippedFile): Problem {
  return fileProblem(skipped.name, 'warning', skipped.code, skipped.message);
}

/** Splits `name` at its last dot; a leading dot (hidden file) or a trailing dot is no extension. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** `20261123T040000Z`: the instant in UTC, to the second. */
export function compactUtcTimestamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid date for a file timestamp');
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `IC_Eligibility_oct.csv` processed at 2026-11-23T04:00:00Z → `P_IC_Eligibility_oct_20261123T040000Z.csv`. */
export function processedName(name: string, at: Date): string {
  const { stem, ext } = splitExtension(name);
  return `${PROCESSED_FILE_PREFIX}${stem}_${compactUtcTimestamp(at)}${ext}`;
}
