import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOpenApiDocument } from '../../api/openapi';
import { API_REQUEST_EXAMPLES } from '../support/api-examples';
import { documentedOperations, openApiValidator } from '../support/openapi-validator';
import { servedRoutes } from '../support/served-routes';

const document = buildOpenApiDocument();
const operations = documentedOperations(document);

test('the document describes every route the app serves, and no other', () => {
  const served = servedRoutes().map((route) => route.replace(/:(\w+)/g, '{$1}'));
  assert.deepEqual(served.sort(), operations.map((o) => o.route).sort());
});

test('every documented request body accepts the examples API.md gives for its route, and refuses an empty body', () => {
  const validator = openApiValidator(document);
  const withBody = operations.filter((o) => o.operation.requestBody);
  assert.deepEqual(withBody.map((o) => o.route).sort(), Object.keys(API_REQUEST_EXAMPLES).sort(), 'each route with a body has examples');
  for (const { route, method, path } of withBody) {
    const validate = validator.requestBody(method, path);
    for (const example of API_REQUEST_EXAMPLES[route]!) assert.ok(validate(example), `${route}: ${validator.errorsOf(validate)}`);
    assert.equal(validate(route.startsWith('PATCH') ? { unknownField: 1 } : {}), false, `${route} refuses a body without its fields`);
  }
});

test('every route behind a key documents 401, and 429 RATE_LIMITED with Retry-After; health and the document itself are not limited', () => {
  for (const { route, operation } of operations) {
    const limited = !['GET /api/health', 'GET /api/openapi.json'].includes(route);
    assert.equal(Boolean(operation.responses['429']?.headers?.['Retry-After']), limited, route);
    assert.equal(Boolean(operation.responses['401']), limited, route);
  }
});

test('every success response has a body schema, or is a 204 without one', () => {
  for (const { route, operation } of operations) {
    const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
    assert.ok(successes.length > 0, `${route} documents a success`);
    for (const [status, response] of successes) {
      if (status === '204') assert.equal(response.content, undefined, `${route} 204 has no body`);
      else assert.ok(response.content?.['application/json'], `${route} ${status} documents its JSON body`);
    }
  }
});

test('every error response is the one error shape (health’s 503 is its own report)', () => {
  const validator = openApiValidator(document);
  const error = { error: { code: 'NOT_FOUND', message: 'Import was not found.', details: [] } };
  for (const { route, method, path, operation } of operations.filter((o) => o.route !== 'GET /api/health')) {
    for (const status of Object.keys(operation.responses).filter((s) => Number(s) >= 400)) {
      const validate = validator.response(method, path, Number(status))!;
      assert.ok(validate(error), `${route} ${status}: ${validator.errorsOf(validate)}`);
      assert.equal(validate({ message: 'not found' }), false, `${route} ${status} refuses another shape`);
    }
  }
});
