import type { OpenAPIHono } from '@hono/zod-openapi';
import { isAudited } from './audit';
import { DEFAULT_BODY_LIMIT, LARGER_BODY_LIMITS } from './body-limit';
import type { AppEnv } from './env';
import { rateLimited } from './route-contract';
import { ROUTE_RIGHTS, type RouteRight } from './route-rights';

type Responses = Record<string, { description: string; headers?: object; content?: object }>;
type Operation = { summary?: string; description?: string; security?: object[]; parameters?: { in: string }[]; requestBody?: object; responses: Responses };

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const error = (description: string) => ({ description, content: errorContent });

const RATE_LIMITED = {
  ...error('The key sent more than its requests a minute (`RATE_LIMITED`, `details[0].limit`: `requestsPerMinute`)'),
  headers: rateLimited('').headers,
};

const DISTRICT_HEADER = {
  name: 'X-District-Id',
  in: 'header',
  required: false,
  description: 'The id of the district the platform admin key acts on (an unknown one: 404). A district key acts on its own district and this header is not read.',
  // any text: a district key's request never reads it, so no value is refused
  schema: { type: 'string' },
};

/** What every route behind a key may answer besides its own responses, by who may call it. */
function keyedResponses(access: RouteRight['access'], audited: boolean, actsOnDistrictHeader: boolean): Responses {
  return {
    401: error('Missing, unknown, revoked or expired API key (`UNAUTHENTICATED`)'),
    403: error(access === 'platform' ? 'Only the platform admin key may (`RIGHT_REQUIRED`)' : `The key lacks the right \`${access}\` (\`RIGHT_REQUIRED\`)`),
    ...(actsOnDistrictHeader
      ? {
          404: error('Not found, or another district’s object; for the platform admin key, an unknown `X-District-Id`'),
          422: error('`DISTRICT_REQUIRED`: the platform admin key did not name the district in `X-District-Id`; `VALIDATION_FAILED`: `details` name the fields'),
        }
      : {}),
    429: RATE_LIMITED,
    ...(audited ? { 503: error('`AUDIT_UNAVAILABLE`: the audit log could not be written, so nothing was done') } : {}),
  };
}

/** What reading a route's input may answer: its body (malformed, too large, invalid) and its query. */
function inputResponses(operation: Operation): Responses {
  const hasQuery = (operation.parameters ?? []).some((p) => p.in === 'query');
  return {
    ...(operation.requestBody
      ? { 400: error('The body is not JSON (`MALFORMED_JSON`)'), 413: error('The body is over the route’s limit (`BODY_TOO_LARGE`)') }
      : {}),
    ...(operation.requestBody || hasQuery ? { 422: error('`VALIDATION_FAILED`: `details` name the fields') } : {}),
  };
}

/** Adds the rights table to one operation: its security, the right its description names, the responses every keyed route shares. */
function withRights(method: string, path: string, operation: Operation): Operation {
  const pattern = path.replace(/\{(\w+)\}/g, ':$1');
  const route = `${method.toUpperCase()} ${pattern}`;
  const right = ROUTE_RIGHTS[route];
  if (!right) throw new Error(`${route} has no entry in api/route-rights.ts`);
  if (right.access === 'none') return { ...operation, security: [] };
  const actsOnDistrictHeader = right.access !== 'platform' && !pattern.startsWith('/api/districts/');
  const needs = right.access === 'platform' ? undefined : `Needs the right \`${right.access}\`. The platform admin key names the district in \`X-District-Id\`.`;
  return {
    ...operation,
    description: [needs, operation.description].filter(Boolean).join(' ') || undefined,
    ...(actsOnDistrictHeader ? { parameters: [...(operation.parameters ?? []), DISTRICT_HEADER] } : {}),
    // a route's own description of a status is more precise than the shared one
    responses: { ...keyedResponses(right.access, isAudited(method.toUpperCase(), { pattern, params: {} }), actsOnDistrictHeader), ...inputResponses(operation), ...operation.responses },
  };
}

const INFO = {
  title: 'Scheduled Imports API',
  version: '0.1.0',
  description: [
    'District admins define imports, test connections, run and dry-run imports, and read reports. Errors: `{"error": {"code", "message", "details"}}`.',
    `Bodies are limited to ${DEFAULT_BODY_LIMIT / 2 ** 20} MB (${Object.entries(LARGER_BODY_LIMITS).map(([route, bytes]) => `\`${route}\` ${bytes / 2 ** 20} MB`).join(', ')}): 413 \`BODY_TOO_LARGE\`.`,
    'State changes (refused ones too) and reads of student data or reports are written to the audit log first; when that fails they answer 503 `AUDIT_UNAVAILABLE` and do nothing.',
    'Each key may send a burst of requests and then a number a minute; over that every route answers 429 `RATE_LIMITED` with `Retry-After` (seconds).',
    'This document is generated from the route definitions (api/routes) and the rights table (api/route-rights.ts).',
  ].join(' '),
};

/** The OpenAPI 3.1 document of an app: its routes' definitions, with the rights each needs. */
export function openApiDocumentOf(app: OpenAPIHono<AppEnv>) {
  const generated = app.getOpenAPI31Document({ openapi: '3.1.0', info: INFO, servers: [{ url: '/' }], security: [{ bearer: [] }] });
  const paths = Object.fromEntries(
    Object.entries(generated.paths ?? {}).map(([path, methods]) => [
      path,
      Object.fromEntries(Object.entries(methods as Record<string, Operation>).map(([method, operation]) => [method, withRights(method, path, operation)])),
    ]),
  );
  return {
    ...generated,
    components: { ...generated.components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
