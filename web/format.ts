/** An instant as the admin reads it: `2026-12-01 22:00 UTC`. */
export function instant(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function describeSchedule(s: { frequency: string; time: string; weekday?: string; dayOfMonth?: number | string; timeZone?: string } | null): string {
  if (!s) return 'Not scheduled';
  const when = s.frequency === 'weekly' ? `every ${s.weekday}` : s.frequency === 'monthly' ? `monthly on day ${s.dayOfMonth}` : 'daily';
  return `${when} at ${s.time}${s.timeZone ? ` (${s.timeZone})` : ''}`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
