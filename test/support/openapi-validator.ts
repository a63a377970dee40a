import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../api/openapi';

export const DOCUMENT_ID = 'https://scheduled-imports.invalid/openapi.json';

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
type Operation = { requestBody?: object; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> };

/** `METHOD /api/{pattern}` of every documented operation. */
export function documentedOperations(document: OpenApiDocument): { route: string; path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, method, operation })),
  );
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Validates bodies against the document's own schemas, $refs and all: the whole document is added to
 * ajv once, and each schema is reached by its JSON pointer in it.
 */
export function openApiValidator(document: OpenApiDocument = buildOpenApiDocument()) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(document as object, DOCUMENT_ID);
  const compiled = new Map<string, ValidateFunction>();
  const at = (...parts: string[]): ValidateFunction => {
    const ref = `${DOCUMENT_ID}#/${pointer(...parts)}`;
    let validate = compiled.get(ref);
    if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
    return validate;
  };
  const errorsOf = (validate: ValidateFunction) => ajv.errorsText(validate.errors);
  return {
    /** The request body schema of `path` (as the document writes it, e.g. /api/imports/{id}) and method. */
    requestBody: (method: string, path: string) => at('paths', path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'),
    /** The schema of a response, or undefined when the operation does not document that status with that media type. */
    response(method: string, path: string, status: number, mediaType = 'application/json'): ValidateFunction | undefined {
      const operation = (document.paths as Record<string, Record<string, Operation>>)[path]?.[method.toLowerCase()];
      if (!operation?.responses[String(status)]?.content?.[mediaType]) return undefined;
      return at('paths', path, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema');
    },
    errorsOf,
  };
}

/** The documented path a concrete request path matches, e.g. /api/imports/123/run → /api/imports/{id}/run. */
export function documentedPath(document: OpenApiDocument, method: string, requestPath: string): string | undefined {
  const path = requestPath.split('?')[0]!;
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).find(([pattern, methods]) => {
    if (!methods[method.toLowerCase()]) return false;
    const regex = new RegExp(`^${pattern.replace(/\{\w+\}/g, '[^/]+')}$`);
    return regex.test(path);
  })?.[0];
}
