/** One line of a report's `problems`: a row error, a row warning or a file-level problem. */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** The file the problem belongs to; set by the caller that knows which file it is reading. */
  file?: string;
  /** 1-based physical line where the offending row starts; null for problems about a whole file. */
  line: number | null;
  severity: Severity;
  /** UPPER_SNAKE code, e.g. `STUDENT_NOT_FOUND`. */
  code: string;
  /** One sentence for an admin; may quote the offending value, never a whole row. */
  message: string;
}

export function rowError(line: number, code: string, message: string): Problem {
  return { line, severity: 'error', code, message };
}

export function rowWarning(line: number, code: string, message: string): Problem {
  return { line, severity: 'warning', code, message };
}

export function fileProblem(file: string, severity: Severity, code: string, message: string): Problem {
  return { file, line: null, severity, code, message };
}

/** Quotes a value from a file for a message, shortened so that a message never carries a long value. */
export function quoteValue(value: string, maxLength = 40): string {
  const shown = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return JSON.stringify(shown);
}
