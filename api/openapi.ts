import { createApp } from './app';
import type { ApiDeps } from './env';
import { openApiDocumentOf } from './openapi-document';

/**
 * The document GET /api/openapi.json serves, without serving it: built from the app's routing table only,
 * so no dependency is needed.
 */
export function buildOpenApiDocument() {
  return openApiDocumentOf(createApp({} as ApiDeps));
}
