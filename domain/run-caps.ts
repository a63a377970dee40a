import { fileProblem, type Problem } from './problems';

/** The caps of one run (MAX_FILES_PER_RUN, MAX_BYTES_PER_RUN, MAX_ROWS_PER_RUN). */
export interface RunCapSettings {
  maxFiles: number;
  maxBytes: number;
  maxRows: number;
}

export type FileCap = 'files' | 'bytes';

export interface CappedListing {
  /** How many of the listed files (oldest first) this run takes. */
  take: number;
  /** How many wait for a later run. */
  waiting: number;
  /** The cap that stopped the listing, when one did. */
  cap: FileCap | null;
}

/**
 * Takes files in the order given (oldest first) while the file and byte caps allow. The first file is always
 * taken, however large, so a file over the byte cap cannot block the import; a later file that would pass the
 * byte cap stops the listing (a smaller file behind it is not taken first, so the order holds).
 */
export function capListing(sizes: readonly number[], caps: Pick<RunCapSettings, 'maxFiles' | 'maxBytes'>): CappedListing {
  let bytes = 0;
  let take = 0;
  let cap: FileCap | null = null;
  for (const size of sizes) {
    if (take >= caps.maxFiles) {
      cap = 'files';
      break;
    }
    if (take > 0 && bytes + size > caps.maxBytes) {
      cap = 'bytes';
      break;
    }
    bytes += size;
    take++;
  }
  return { take, waiting: sizes.length - take, cap };
}

/** The rows of a file this run stages: from where earlier runs stopped, at most the run's row budget left. */
export interface RowWindow {
  from: number;
  to: number;
}

export function rowWindow(rowsDone: number, rowBudget: number): RowWindow {
  return { from: rowsDone, to: rowsDone + Math.max(0, rowBudget) };
}

/** Of a file of `totalRows` rows: how many fall in the window, and how many are left after it for later runs. */
export function splitRows(totalRows: number, window: RowWindow): { rows: number; rowsAfter: number } {
  return { rows: Math.max(0, Math.min(totalRows, window.to) - window.from), rowsAfter: Math.max(0, totalRows - window.to) };
}

const CAP_SETTING: Record<FileCap | 'rows', string> = { files: 'MAX_FILES_PER_RUN', bytes: 'MAX_BYTES_PER_RUN', rows: 'MAX_ROWS_PER_RUN' };

const filesWord = (n: number) => (n === 1 ? '1 file waits' : `${n} files wait`);

/** The run-level warning when files are left for the next run: which cap, its value, and how many files wait. */
export function filesWaitingProblem(cap: FileCap | 'rows', limit: number, waiting: number): Problem {
  return {
    line: null,
    severity: 'warning',
    code: 'RUN_CAP_REACHED',
    message: `The run reached its ${cap} cap (${CAP_SETTING[cap]} = ${limit}); ${filesWord(waiting)} in place for the next run, oldest first.`,
  };
}

/** The file's warning when the row cap stopped it part way: the rest of its rows continue in the next run. */
export function rowsWaitingProblem(file: string, limit: number, applied: number, rowsAfter: number): Problem {
  return fileProblem(
    file,
    'warning',
    'RUN_CAP_REACHED',
    `The run reached its rows cap (${CAP_SETTING.rows} = ${limit}) in file ${JSON.stringify(file)} after ${applied} of its rows; the file stays in place and its other ${rowsAfter} rows continue in the next run.`,
  );
}
