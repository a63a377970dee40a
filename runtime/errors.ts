/** A real component (Temporal, PostgreSQL, the Temporal CLI) could not be found or started. */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}

/** The Temporal CLI is not installed and could not be installed. */
export class TemporalCliMissingError extends StartupError {
  override readonly name = 'TemporalCliMissingError';
}

/** Formats the last lines a process printed, for an error message. */
export function tailForMessage(lines: readonly string[]): string {
  return lines.length ? `\nLast output:\n  ${lines.join('\n  ')}` : '';
}
