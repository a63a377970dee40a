/** Where a kill falls: while the file downloads (a share of its bytes) or while chunks apply (a share of its rows). */
export type KillPoint = { phase: 'staging'; bytesShare: number } | { phase: 'apply'; rowsShare: number };

/** The share of kills aimed at staging, which is the shorter phase. */
const STAGING_SHARE = 0.25;

/** `n` random points, in the order the run reaches them. */
export function randomKillPoints(n: number, random: () => number = Math.random): KillPoint[] {
  const points = Array.from({ length: n }, () => 0.02 + random() * 0.94).sort((a, b) => a - b);
  return points.map((p) => (p < STAGING_SHARE ? { phase: 'staging', bytesShare: p / STAGING_SHARE } : { phase: 'apply', rowsShare: (p - STAGING_SHARE) / (1 - STAGING_SHARE) }));
}

export interface Progress {
  bytesRead: number;
  bytesTotal: number;
  rowsStaged: number;
  rowsRead: number;
  rowsApplied: number;
}

/** Whether the run's files are still being downloaded (rows staged so far count while they are). */
export function isStaging(progress: Progress): boolean {
  return progress.rowsRead === 0 && (progress.bytesTotal === 0 || progress.bytesRead < progress.bytesTotal);
}

/** True once the run has reached the point (a point in staging is passed as soon as staging has ended). */
export function reached(point: KillPoint, progress: Progress, rows: number): boolean {
  if (point.phase === 'staging') return !isStaging(progress) || progress.bytesRead >= point.bytesShare * progress.bytesTotal;
  return progress.rowsRead >= point.rowsShare * rows;
}

/** True once a new worker has moved the run on from where it stood at the kill (a staging retry starts its bytes again). */
export function movedOn(atKill: Progress, now: Progress): boolean {
  return now.rowsRead > atKill.rowsRead || now.rowsStaged > atKill.rowsStaged || now.bytesRead !== atKill.bytesRead;
}
