/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. They carry no time zone, and two of them
 * compare correctly as plain strings (years 1000-9999).
 */
export type IsoDate = string;

export const DATE_FORMATS = ['MM/DD/YYYY', 'M/D/YYYY', 'YYYY-MM-DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

// MM/DD/YYYY insists on two-digit month and day; M/D/YYYY takes one or two digits.
const PATTERNS: Record<DateFormat, { regex: RegExp; order: 'mdy' | 'ymd' }> = {
  'MM/DD/YYYY': { regex: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: 'mdy' },
  'M/D/YYYY': { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'mdy' },
  'YYYY-MM-DD': { regex: /^(\d{4})-(\d{2})-(\d{2})$/, order: 'ymd' },
};

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isoOf(year: number, month: number, day: number): IsoDate | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The ISO date `text` denotes in `format`, or null when its shape is wrong or the date does not exist. */
export function parseDate(text: string, format: DateFormat): IsoDate | null {
  const { regex, order } = PATTERNS[format];
  const match = regex.exec(text);
  if (!match) return null;
  const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return order === 'mdy' ? isoOf(c, a, b) : isoOf(a, b, c);
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
