import { compactUtcTimestamp } from '../../domain/files';

/** The one file a roster import takes, by its exact name (case-sensitive, as the source system writes it). */
export const ROSTER_FILE_NAME = 'students.csv';

export function isRosterFileName(name: string): boolean {
  return name === ROSTER_FILE_NAME;
}

/** `students_errors_20261123T040000Z.csv`: the failing rows of the run that finished then (UTC). */
export function rosterErrorFileName(finishedAt: Date): string {
  return `students_errors_${compactUtcTimestamp(finishedAt)}.csv`;
}
