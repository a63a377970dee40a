/**
 * A staged row's fields as one text value: joined by U+001F (unit separator), which no field can
 * hold (domain/delimited.ts refuses control characters), and split again when the row is read.
 * One text column costs far less to COPY in and read back than a jsonb or text[] array.
 */

export const FIELD_SEPARATOR = '\u001f';

export class StagedFieldError extends Error {
  override readonly name = 'StagedFieldError';
}

export function joinStagedFields(fields: readonly string[]): string {
  for (const field of fields) {
    // unreachable through the file reader; refused rather than silently split into two fields later
    if (field.includes(FIELD_SEPARATOR)) throw new StagedFieldError('A field holds U+001F, which a staged row cannot carry.');
  }
  return fields.join(FIELD_SEPARATOR);
}

export function splitStagedFields(text: string): string[] {
  return text.split(FIELD_SEPARATOR);
}
