import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveApi } from '../../api/serve';
import { RIGHTS } from '../../security/api-keys';
import { startSshd, type TestSshd } from '../sources/sshd';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey, issueKey, makeServerDir, putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Installed by `node scripts/ensure-deps.mjs --test` (npm test does that first). */
const SCHEMATHESIS = [join(root, '.cache', 'schemathesis', 'bin', 'schemathesis')].find(existsSync) ?? 'schemathesis';
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_headers_conformance', 'response_schema_conformance', 'negative_data_rejection', 'no_secret_in_response'];
/** Examples per operation and phase: the whole fuzz takes a few minutes on 2 cores. */
const MAX_EXAMPLES = 25;

const FILE = ['Student ID,Last,First,Status,Type,Start,End,App,Ref', '000123,Lopez,Ana,F,D,08/15/2025,,App,R1'].join('\n') + '\n';

function runSchemathesis(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/**
 * schemathesis against the API served over HTTP on real components, every operation of the generated
 * document with a key holding every right, in a district of its own: no 5xx, no response outside its
 * documented status, media type, headers and schema, and no secret in any response.
 */
describe('the API fuzzed by schemathesis from its own OpenAPI document', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let api: { url: string; stop(): Promise<void> };
  const fixtures: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  let key = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd({ keyLogin: true })]);
    api = await serveApi(system.config, { host: '127.0.0.1', port: 0 });
    makeServerDir(sshd, 'Eligibility');
    putServerFile(sshd, 'Eligibility', 'IC_Eligibility.csv', FILE);

    const district = await createDistrictWithKey(system, 'Fuzz USD', 'America/Chicago', [...RIGHTS]);
    key = district.key;
    fixtures.districtId = district.districtId;
    fixtures.ownKeyId = district.keyId;
    // a key the fuzz may revoke: never its own
    fixtures.keyId = (await issueKey(system, district.districtId, 'spare', ['imports.read'])).keyId;
    const call = (method: string, path: string, body?: unknown) => system.call(method, path, { key, body });
    await call('PUT', '/api/students', [{ studentNumber: '000123', firstName: 'Ana', lastName: 'Lopez' }]);
    fixtures.studentNumber = '000123';
    fixtures.mappingId = (await call('POST', '/api/mappings', API_EXAMPLE_MAPPING)).body.id;
    await call('POST', '/api/schools', { code: 'LHS', name: 'Lincoln High' });
    fixtures.orderId = (await call('POST', '/api/orders', { kind: 'regular', schoolCode: 'LHS', licenses: 3 })).body.id;

    const { trust: _trust, ...connection } = sshd.connection('Eligibility');
    const withKey = { ...connection, password: undefined, privateKey: sshd.clientKeys!.withPassphrase.privateKey, passphrase: sshd.clientKeys!.withPassphrase.passphrase };
    Object.assign(secrets, { 'the connection password': String(connection.password), 'the private key': withKey.privateKey, 'its passphrase': String(withKey.passphrase) });
    const imp = await call('POST', '/api/imports', { name: 'Fuzz Import', kind: 'eligibility', mappingId: fixtures.mappingId, connection });
    assert.equal(imp.status, 201, imp.text);
    fixtures.importId = imp.body.id;
    const keyed = await call('POST', '/api/imports', { name: 'Fuzz Key Import', kind: 'eligibility', mappingId: fixtures.mappingId, connection: withKey });
    assert.equal(keyed.status, 201, keyed.text);
    const unpinned = await call('POST', `/api/imports/${imp.body.id}/test-connection`);
    await call('PATCH', `/api/imports/${imp.body.id}`, { connection: { trust: { sha256: unpinned.body.error.fingerprint } } });
    const run = await call('POST', `/api/imports/${imp.body.id}/test`);
    assert.equal(run.status, 202, run.text);
    fixtures.runId = run.body.runId;
    await waitForRun(system, key, run.body.runId);
    fixtures.batchId = (await call('POST', `/api/imports/${imp.body.id}/batch`, { startAt: new Date(Date.now() + 86_400_000).toISOString() })).body.batchId;
    const secretsKey = system.config.secretsKeys.current;
    Object.assign(secrets, { 'the API key': key, 'the admin API key': system.config.adminApiKey, 'SECRETS_KEY (base64)': secretsKey.toString('base64'), 'SECRETS_KEY (hex)': secretsKey.toString('hex') });
  });
  after(async () => {
    await api?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  it('finds no server error, no response its document does not describe, and no secret', async (t) => {
    const { code, output } = await runSchemathesis(
      [
        'run',
        `${api.url}/api/openapi.json`,
        '--checks',
        CHECKS.join(','),
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        String(Date.now() % 1_000_000),
        // one: with two threads, hypothesis's ast.parse hit CPython 3.11's "AST constructor recursion depth
        // mismatch" (a SystemError in the tool, with every case passing); concurrent edits are tested in
        // test/integration/concurrent-import-edits.test.ts
        '--workers',
        '1',
        '--request-timeout',
        '30',
        '--header',
        `Authorization: Bearer ${key}`,
        '--suppress-health-check',
        'all',
        '--no-shrink',
      ],
      { SCHEMATHESIS_HOOKS: 'fuzz_hooks', PYTHONPATH: join(root, 'test', 'contract'), FUZZ_FIXTURES: JSON.stringify(fixtures), FUZZ_SECRETS: JSON.stringify(secrets) },
    );
    if (code !== 0) console.log(output);
    else t.diagnostic(output.slice(-3000));
    assert.equal(code, 0, 'schemathesis found failures (its summary is above)');
    const tested = /Selected: (\d+)\/(\d+)\s+Tested: (\d+)/.exec(output);
    assert.ok(tested, 'schemathesis printed its summary');
    assert.deepEqual([tested[1], tested[3]], [tested[2], tested[2]], 'every operation was fuzzed');
    assert.equal((await system.call('GET', '/api/imports', { key })).status, 200, 'the fuzz key was usable to the end');
  });
});
