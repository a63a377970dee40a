import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/env';
import { buildOpenApiDocument } from '../../api/openapi';
import { API_REQUEST_EXAMPLES } from '../support/api-examples';

type Operation = { requestBody?: { content: { 'application/json': { schema: { $ref: string } } } } };

const document = buildOpenApiDocument();
const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
);

test('the document describes every route the app serves, and no other', () => {
  // the routing table only: no request reaches a handler, so no dependency is needed
  const app = createApp({} as ApiDeps);
  const served = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  assert.deepEqual([...new Set(served)].sort(), operations.map((o) => o.route).sort());
});

test('every documented request body accepts the examples API.md gives for its route, and refuses an empty body', () => {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const withBody = operations.filter((o) => o.operation.requestBody);
  assert.deepEqual(withBody.map((o) => o.route).sort(), Object.keys(API_REQUEST_EXAMPLES).sort(), 'each route with a body has examples');
  for (const { route, operation } of withBody) {
    const name = operation.requestBody!.content['application/json'].schema.$ref.replace('#/components/schemas/', '');
    const schema = (document.components.schemas as Record<string, object>)[name];
    assert.ok(schema, `${route}: ${name} is defined`);
    const validate = ajv.compile(schema);
    for (const example of API_REQUEST_EXAMPLES[route]!) assert.ok(validate(example), `${route} (${name}): ${ajv.errorsText(validate.errors)}`);
    assert.equal(validate(route.startsWith('PATCH') ? { unknownField: 1 } : {}), false, `${route} (${name}) refuses a body without its fields`);
  }
});

test('every route behind a key documents 429 RATE_LIMITED with Retry-After; health and the document itself are not limited', () => {
  for (const { route, operation } of operations) {
    const responses = (operation as { responses: Record<string, { headers?: Record<string, unknown> }> }).responses;
    const limited = !['GET /api/health', 'GET /api/openapi.json'].includes(route);
    assert.equal(Boolean(responses['429']?.headers?.['Retry-After']), limited, route);
  }
});
