/**
 * PostgreSQL's COPY text format: one line per row, columns separated by tabs, `\N` for null.
 * A value's backslashes, tabs, line feeds and carriage returns are written as escapes, so any
 * text survives the trip (NUL cannot: PostgreSQL text cannot hold it; the file reader refuses it).
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export const COPY_NULL = '\\N';

export type CopyValue = string | number | null;

/** One value as COPY text reads it back: null as `\N`, text escaped. */
export function copyValue(value: CopyValue): string {
  if (value === null) return COPY_NULL;
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

/** One row of COPY text, line feed included. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyValue(values[i]!);
  return line + '\n';
}
