import type { Client, FileInfo } from 'basic-ftp';
import type { RemoteFile } from './file-source';
import { ftpReplyCode } from './ftps-errors';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a Unix `ls -l` date as UTC: `Nov 23 04:00` (within the last half year, minute
 * precision) or `Nov 23 2025`. Only used when a server offers neither MLSD nor MDTM.
 */
export function parseUnixListDate(raw: string, now = new Date()): Date | undefined {
  const match = /^(\w{3})\s+(\d{1,2})\s+(?:(\d{1,2}):(\d{2})|(\d{4}))$/.exec(raw.trim());
  if (!match) return undefined;
  const [, monthName = '', day = '', hour, minute, year] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0) return undefined;
  if (year !== undefined) return new Date(Date.UTC(Number(year), month, Number(day)));
  // Without a year, ls means the most recent such date not far in the future.
  const thisYear = new Date(Date.UTC(now.getUTCFullYear(), month, Number(day), Number(hour), Number(minute)));
  const aDay = 24 * 60 * 60 * 1000;
  return thisYear.getTime() > now.getTime() + aDay
    ? new Date(Date.UTC(now.getUTCFullYear() - 1, month, Number(day), Number(hour), Number(minute)))
    : thisYear;
}

/** Resolves a reply-550 ("no such file", "not a plain file") to undefined; rethrows anything else. */
export async function unless550<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (ftpReplyCode(error) === 550) return undefined;
    throw error;
  }
}

/**
 * One remote file from a listing entry, or undefined when it is not a regular file (a
 * directory, a link to one) or vanished meanwhile. MLSD gives exact times; otherwise MDTM
 * asks per file, since LIST dates have minutes at best.
 */
export async function toRemoteFile(client: Client, entry: FileInfo, features: ReadonlySet<string>): Promise<RemoteFile | undefined> {
  if (entry.isDirectory) return undefined;
  let size = entry.size;
  if (entry.isSymbolicLink) {
    // SIZE follows the link and fails for anything but a regular file.
    const target = await unless550(client.size(entry.name));
    if (target === undefined) return undefined;
    size = target;
  } else if (!entry.isFile) {
    return undefined;
  }
  if (entry.modifiedAt) return { name: entry.name, size, modifiedAt: entry.modifiedAt };
  if (features.has('MDTM')) {
    const modifiedAt = await unless550(client.lastMod(entry.name));
    return modifiedAt && { name: entry.name, size, modifiedAt };
  }
  const modifiedAt = parseUnixListDate(entry.rawModifiedAt);
  if (!modifiedAt) {
    throw new Error(`the server offers neither MLSD nor MDTM and its listing date ${JSON.stringify(entry.rawModifiedAt)} cannot be read`);
  }
  return { name: entry.name, size, modifiedAt };
}
