import { quoteValue, type Problem } from '../../domain/problems';

/** The one header a roster file may have: these names, in this order. */
export const ROSTER_HEADER = ['school_code', 'student_id', 'last_name', 'first_name', 'grade', 'date_of_birth', 'username', 'status'] as const;

export type RosterHeaderCheck = { ok: true } | { ok: false; problem: Problem };

const mismatch = (detail: string): RosterHeaderCheck => ({
  ok: false,
  problem: {
    line: null,
    severity: 'error',
    code: 'HEADER_MISMATCH',
    message: `${detail} The header must be exactly ${ROSTER_HEADER.join(',')}; nothing in the file was applied.`,
  },
});

/** Checks a file's header (fields as read, surrounding spaces ignored); on a mismatch the whole file fails. */
export function checkRosterHeader(header: readonly string[] | null): RosterHeaderCheck {
  if (header === null) return mismatch('The file has no header.');
  const names = header.map((name) => name.trim());
  for (const [index, expected] of ROSTER_HEADER.entries()) {
    const found = names[index];
    if (found === undefined) return mismatch(`The header has ${String(names.length)} columns; column ${String(index + 1)} must be ${expected}.`);
    if (found !== expected) return mismatch(`Column ${String(index + 1)} of the header is ${quoteValue(found)}; it must be ${expected}.`);
  }
  if (names.length > ROSTER_HEADER.length) return mismatch(`The header has ${String(names.length)} columns; a roster file has ${String(ROSTER_HEADER.length)}.`);
  return { ok: true };
}
