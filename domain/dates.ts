/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. They carry no time zone, and two of them
 * compare correctly as plain strings (years 1000-9999).
 */
export type IsoDate = string;

export const DATE_FORMATS = ['MM/DD/YYYY', 'M/D/YYYY', 'YYYY-MM-DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

// MM/DD/YYYY insists on two-digit month and day; M/D/YYYY takes one or two digits.
const DIGITS: Record<Exclude<DateFormat, 'YYYY-MM-DD'>, { month: readonly [number, number]; day: readonly [number, number] }> = {
  'MM/DD/YYYY': { month: [2, 2], day: [2, 2] },
  'M/D/YYYY': { month: [1, 2], day: [1, 2] },
};

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isoOf(year: number, month: number, day: number): IsoDate | null {
  if (!isRealDate(year, month, day)) return null;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The number the ASCII digits of text[from, to) spell; -1 when one of them is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * The ISO date `text` denotes in `format`, or null when its shape is wrong or the date does not exist.
 * Read character by character, not by a regular expression: it runs for every date of every row.
 */
export function parseDate(text: string, format: DateFormat): IsoDate | null {
  if (format === 'YYYY-MM-DD') {
    if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null;
    return isRealDate(digitsAt(text, 0, 4), digitsAt(text, 5, 7), digitsAt(text, 8, 10)) ? text : null;
  }
  const first = text.indexOf('/');
  const second = first < 0 ? -1 : text.indexOf('/', first + 1);
  if (second < 0 || text.length - second - 1 !== 4) return null;
  const { month, day } = DIGITS[format];
  const dayLength = second - first - 1;
  if (first < month[0] || first > month[1] || dayLength < day[0] || dayLength > day[1]) return null;
  return isoOf(digitsAt(text, second + 1, text.length), digitsAt(text, 0, first), digitsAt(text, first + 1, second));
}

export function isIsoDate(text: string): boolean {
  return parseDate(text, 'YYYY-MM-DD') !== null;
}

function partsOf(iso: IsoDate): [number, number, number] {
  const match = ISO_PATTERN.exec(iso);
  if (!match || isoOf(Number(match[1]), Number(match[2]), Number(match[3])) === null) {
    throw new RangeError(`Not an ISO date: ${JSON.stringify(iso)}`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `iso` moved by `days` calendar days (negative to go back). */
export function addDays(iso: IsoDate, days: number): IsoDate {
  const [year, month, day] = partsOf(iso);
  // Date.UTC arithmetic has no daylight-saving gaps, so whole days stay whole days.
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Negative when a is earlier, 0 when equal, positive when later. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** School year 2026 runs from 2025-07-01 to 2026-06-30. */
export function schoolYearBounds(schoolYear: number): { start: IsoDate; end: IsoDate } {
  return { start: `${String(schoolYear - 1)}-07-01`, end: `${String(schoolYear)}-06-30` };
}

/** Whether two inclusive date ranges share a day; a null end is open-ended. */
export function rangesOverlap(
  aStart: IsoDate,
  aEnd: IsoDate | null,
  bStart: IsoDate,
  bEnd: IsoDate | null,
): boolean {
  return (aEnd === null || bStart <= aEnd) && (bEnd === null || aStart <= bEnd);
}
