import { z } from 'zod';
import type { ProblemKey, RecordKey } from '../db/queries/reports';

/** Where a page of a report starts: after a record, or among the problems (after one, or at the first). */
export type ReportPosition = { part: 'records'; after: RecordKey | null } | { part: 'problems'; after: ProblemKey | null };

export const REPORT_START: ReportPosition = { part: 'records', after: null };

/** Cursors are short; anything longer is not one this API gave. */
export const MAX_CURSOR_LENGTH = 200;

const ordinal = z.number().int().min(-1).max(2 ** 31 - 1);
const line = z.number().int().min(0).max(2 ** 31 - 1);
const cursorSchema = z.union([
  z.tuple([z.literal('r')]),
  z.tuple([z.literal('r'), ordinal, line, z.number().int().min(0).max(32767)]),
  z.tuple([z.literal('p')]),
  z.tuple([z.literal('p'), ordinal, line, z.string().regex(/^[1-9]\d{0,17}$/)]),
]);

/** Opaque to clients: the position as a JSON tuple (`r` records, `p` problems, then the key it follows), in base64url. */
export function encodeReportCursor(position: ReportPosition): string {
  const tag = position.part === 'records' ? 'r' : 'p';
  const key = position.after === null ? [] : position.part === 'records' ? [position.after.ordinal, position.after.line, position.after.ord] : [position.after.ordinal, position.after.line, position.after.id];
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

/** The position a cursor names, or null for anything that is not a cursor this API gave. */
export function decodeReportCursor(text: string): ReportPosition | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) return null;
  const tuple = parsed.data;
  if (tuple.length === 1) return { part: tuple[0] === 'r' ? 'records' : 'problems', after: null };
  if (tuple[0] === 'r') return { part: 'records', after: { ordinal: tuple[1], line: tuple[2], ord: tuple[3] } };
  return { part: 'problems', after: { ordinal: tuple[1], line: tuple[2], id: tuple[3] } };
}
