/**
 * A form's `datetime-local` value as an instant: the page's script adds the browser's offset from UTC
 * (minutes, as getTimezoneOffset gives it) in a hidden field; without the script the time is read as UTC.
 * Blank gives undefined; text that is not a date and time is passed on as typed, for the API to refuse
 * with its own message.
 */
export function localInstant(local: string, offsetMinutes: string): string | undefined {
  const text = local.trim();
  if (text === '') return undefined;
  const offset = /^-?\d{1,4}$/.test(offsetMinutes) ? Number(offsetMinutes) : 0;
  const utc = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(text) ? Date.parse(`${text}Z`) : NaN;
  if (Number.isNaN(utc)) return text;
  return new Date(utc + offset * 60_000).toISOString();
}
