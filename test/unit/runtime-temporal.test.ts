import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { isPortFree } from '../../runtime/free-port';
import { missingSearchAttributes, SEARCH_ATTRIBUTE_NAMES } from '../../runtime/search-attributes';
import { findTemporalCli } from '../../runtime/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../../runtime/temporal-dev-server';

let server: TemporalDevServer | undefined;

before(async () => {
  const cliPath = await findTemporalCli({ install: true });
  server = await startTemporalDevServer({ cliPath, uiPort: null, namespace: 'runtime-test' });
});

after(async () => {
  await server?.stop();
});

test('the dev server serves its namespace with the search attributes registered', async () => {
  assert.ok(server);
  assert.equal(server.namespace, 'runtime-test');
  assert.equal(server.uiUrl, undefined);
  const connection = await Connection.connect({ address: server.address });
  try {
    const described = await connection.workflowService.describeNamespace({ namespace: 'runtime-test' });
    assert.equal(described.namespaceInfo?.name, 'runtime-test');
    assert.deepEqual(await missingSearchAttributes(connection, 'runtime-test'), []);
    const listed = await connection.operatorService.listSearchAttributes({ namespace: 'runtime-test' });
    for (const name of SEARCH_ATTRIBUTE_NAMES) assert.ok(name in (listed.customAttributes ?? {}), `${name} is registered`);
  } finally {
    await connection.close();
  }
});

test('stop() ends the server and frees its port', async () => {
  assert.ok(server);
  const port = Number(server.address.split(':').pop());
  await server.stop();
  server = undefined;
  assert.equal(await isPortFree(port), true);
});

test('a start whose ports the CLI took twice is tried again on fresh ports', async () => {
  const cliPath = await findTemporalCli({ install: true });
  const dir = mkdtempSync(join(tmpdir(), 'si-clash-'));
  const attempts = join(dir, 'attempts');
  // the first start fails the way the CLI does when its worker service picks the frontend's port
  const clashingCli = join(dir, 'temporal');
  writeFileSync(
    clashingCli,
    `#!/bin/sh\necho x >> '${attempts}'\nif [ "$(wc -l < '${attempts}')" -eq 1 ]; then echo 'msg="Failed to start gRPC listener" error="listen tcp: bind: address already in use"'; exit 2; fi\nexec '${cliPath}' "$@"\n`,
  );
  chmodSync(clashingCli, 0o755);
  const retried = await startTemporalDevServer({ cliPath: clashingCli, uiPort: null, namespace: 'clash-test' });
  try {
    assert.equal(readFileSync(attempts, 'utf8').trim().split('\n').length, 2);
  } finally {
    await retried.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
