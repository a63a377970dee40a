/**
 * A uuid[] parameter as PostgreSQL's array text. pg quotes and escapes each element of a JS array; a chunk sends
 * thousands of ids, and a uuid holds no character that needs either. For ids only: text from files goes as an array.
 */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
