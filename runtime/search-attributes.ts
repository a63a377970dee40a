import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../domain/runs';

/** The names of the custom search attributes workflows and schedules of this service set. */
export const SEARCH_ATTRIBUTE_NAMES: readonly string[] = Object.values(SEARCH_ATTRIBUTES);

type AddRequest = Parameters<Connection['operatorService']['addSearchAttributes']>[0];
type IndexedValueTypeValue = NonNullable<AddRequest['searchAttributes']>[string];
// temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
const KEYWORD = 2 as IndexedValueTypeValue;

/** Registers the missing ones (a dev server reusing an older SQLite file has only those it had then). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const searchAttributes: Record<string, IndexedValueTypeValue> = {};
  for (const name of missing) searchAttributes[name] = KEYWORD;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing;
}

export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set(Object.keys(listed.customAttributes ?? {}));
  return SEARCH_ATTRIBUTE_NAMES.filter((name) => !present.has(name));
}
