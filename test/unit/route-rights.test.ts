import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../../api/openapi';
import { ROUTE_RIGHTS, type RouteRight } from '../../api/route-rights';
import { servedRoutes } from '../support/served-routes';

const README = new URL('../../README.md', import.meta.url);

function accessCell(access: RouteRight['access']): string {
  if (access === 'none') return 'none: no key';
  if (access === 'platform') return 'the platform admin key only';
  return `\`${access}\``;
}

const tableRow = (route: string, r: RouteRight) => `| \`${route}\` | ${accessCell(r.access)} | ${r.pathObject ?? '—'} |`;

/** The rows of the README's route → right table: the table under "### Rights", without its header. */
function readmeRows(): string[] {
  const lines = readFileSync(README, 'utf8').split('\n');
  const start = lines.indexOf('### Rights');
  assert.ok(start >= 0, 'the README has a "### Rights" section');
  const end = lines.findIndex((line, i) => i > start && line.startsWith('#'));
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => line.startsWith('| `'));
}

test('every route the app serves has an entry in the route → right table, and the table names no other', () => {
  assert.deepEqual(servedRoutes().sort(), Object.keys(ROUTE_RIGHTS).sort());
});

test('the README’s route → right table is the one in api/route-rights.ts', () => {
  const expected = Object.entries(ROUTE_RIGHTS).map(([route, r]) => tableRow(route, r));
  assert.deepEqual(readmeRows(), expected, `the README's rows should read:\n${expected.join('\n')}`);
});

test('the OpenAPI document names the right of each route the table gives one', () => {
  type Operation = { summary: string; description?: string; security?: unknown[] };
  const paths = buildOpenApiDocument().paths as Record<string, Record<string, Operation>>;
  for (const [route, { access }] of Object.entries(ROUTE_RIGHTS)) {
    const [method, pattern] = route.split(' ') as [string, string];
    const operation = paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    assert.ok(operation, `${route} is documented`);
    const named = /Needs the right `([\w.]+)`/.exec(operation.description ?? '')?.[1];
    assert.equal(named, access === 'none' || access === 'platform' ? undefined : access, `${route}: the right its description names`);
    assert.equal(operation.security?.length === 0, access === 'none', `${route}: documented as needing no key exactly when it needs none`);
    if (access === 'platform') assert.match(operation.summary, /platform admin/, `${route}: its summary says it is the platform admin's`);
  }
});
