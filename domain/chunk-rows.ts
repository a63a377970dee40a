/**
 * Characters of staged field text one chunk may hold. A chunk's rows are loaded, parsed and applied in memory at once,
 * so CHUNK_SIZE rows of MAX_ROW_BYTES each (10,000 × 1 MiB at the defaults) would not fit in a worker; ordinary
 * rows (under 1,600 characters) keep the full chunk size.
 */
export const CHUNK_TEXT_BUDGET = 16 * 1024 * 1024;

/**
 * Rows per chunk for one file: the run's chunk size, fewer when the file's longest row would take a chunk over the
 * budget. Pure, and fixed by what staging answered, so every attempt and every execution splits a file the same way.
 */
export function chunkRowsFor(chunkSize: number, longestRowChars: number | undefined, budget = CHUNK_TEXT_BUDGET): number {
  if (!longestRowChars || longestRowChars <= 0) return chunkSize;
  return Math.max(1, Math.min(chunkSize, Math.floor(budget / longestRowChars)));
}
