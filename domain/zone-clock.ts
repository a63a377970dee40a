/**
 * Wall-clock time in an IANA time zone, from the zone's rules as Intl knows them. A wall time is
 * written as "wall ms": the milliseconds since the epoch it would be if the zone were UTC, so that
 * date arithmetic on wall times knows nothing of daylight saving.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock of `zone` at `instant` (whole seconds), as wall ms. */
export function wallAt(zone: string, instant: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(instant)) fields[part.type] = Number(part.value);
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
}

/** How far the zone's clocks are ahead of UTC at `instant`, in ms (negative west of Greenwich). */
export function offsetAt(zone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallAt(zone, whole) - whole;
}

/** The local date (wall ms at midnight) in `zone` at `instant`. */
export function localDayAt(zone: string, instant: number): number {
  const wall = wallAt(zone, instant);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/** How a wall time occurs on its day: once, not at all (the clocks skip it), or twice (the clocks go back over it). */
export type WallTimeKind = 'exact' | 'skipped' | 'repeated';

/**
 * The instant a run due at `wall` in `zone` starts, by the product's daylight-saving rule: a wall time
 * that occurs once runs then; one that occurs twice runs at its first occurrence; one the clocks skip
 * runs at the first instant after the gap (03:00 for 02:30 on the spring-forward night in
 * America/Chicago), which is the instant the clocks change.
 */
export function runInstantOf(zone: string, wall: number): { instant: number; kind: WallTimeKind } {
  // the offsets in effect a day either side: zones never change their clocks twice within two days
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  if (before === after) return { instant: wall - before, kind: 'exact' };
  const occurrences = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallAt(zone, instant) === wall)
    .sort((a, b) => a - b);
  if (occurrences.length > 0) return { instant: occurrences[0]!, kind: occurrences.length > 1 ? 'repeated' : 'exact' };
  if (after <= before) throw new RangeError(`${zone} has no clock change near the wall time ${new Date(wall).toISOString()}, yet the time does not occur`);
  // read with the new offset, the wall time is before the change; with the old one, after it
  return { instant: firstInstantWithOffset(zone, after, wall - after, wall - before), kind: 'skipped' };
}

/** The first whole minute in (from, to] at which `zone` has `offset`, given that it has it at `to` and not at `from`. */
function firstInstantWithOffset(zone: string, offset: number, from: number, to: number): number {
  let without = Math.floor(from / MINUTE_MS);
  let within = Math.ceil(to / MINUTE_MS);
  while (within - without > 1) {
    const middle = Math.floor((without + within) / 2);
    if (offsetAt(zone, middle * MINUTE_MS) === offset) within = middle;
    else without = middle;
  }
  return within * MINUTE_MS;
}
