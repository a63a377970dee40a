import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Db } from '../../db/pool';
import { migrate } from '../../db/migrate';
import { insertDistrict } from '../../db/queries/districts';
import { findSealedSecrets, insertImport } from '../../db/queries/imports';
import { startDatabase, type Database } from '../../runtime/database';
import { importSecretsContext, sealSecrets, unsealSecrets } from '../../security/connection-secrets';
import type { ConnectionSecrets } from '../../domain/connection';
import { sealV1 } from '../support/sealed-v1';

/** `npm run reseal-secrets` as an operator runs it after a rotation, against a real PostgreSQL. */
describe('reseal-secrets', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'si-reseal-'));
  let database: Database;
  let db: Db;
  let districtId = '';

  before(async () => {
    database = await startDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, dataDir, persistent: false });
    await migrate(database.url);
    db = createPool(database.url, 2);
    districtId = (await insertDistrict(db, { name: `Reseal ${randomUUID()}`, timeZone: 'UTC' })).id;
  });
  after(async () => {
    await db?.end();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function storeImport(id: string, sealed: Buffer | null): Promise<void> {
    await insertImport(db, {
      id,
      districtId,
      name: `import ${id}`,
      kind: 'eligibility',
      active: false,
      mappingId: null,
      connection: { protocol: 'sftp', host: 'files.example.org', port: 22, username: 'svc', directoryPath: 'in' },
      sealedSecrets: sealed,
      secretFields: sealed ? ['password'] : [],
      schedule: null,
      notify: null,
    });
  }

  function reseal(keys: { current: Buffer; previous?: Buffer }): Promise<{ code: number | null; output: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, SECRETS_KEY: keys.current.toString('hex') };
    delete env.SECRETS_KEY_PREVIOUS;
    delete env.ADMIN_API_KEY;
    if (keys.previous) env.SECRETS_KEY_PREVIOUS = keys.previous.toString('base64');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/reseal-secrets.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  it('moves every stored credential to SECRETS_KEY, in either format, printing only a count', async () => {
    await db.query('delete from imports');
    const previous = randomBytes(32);
    const current = randomBytes(32);
    const [v2, v1, none] = [randomUUID(), randomUUID(), randomUUID()];
    const secrets: Record<string, ConnectionSecrets> = {
      [v2]: { password: `pw-${randomUUID()}` },
      [v1]: { password: `pw-${randomUUID()}`, passphrase: `pp-${randomUUID()}` },
    };
    await storeImport(v2, sealSecrets({ current: previous }, v2, secrets[v2]!).sealed);
    await storeImport(v1, sealV1(previous, JSON.stringify(secrets[v1]), importSecretsContext(v1)));
    await storeImport(none, null);

    const run = await reseal({ current, previous });

    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Re-sealed the stored credentials of 2 import\(s\) under SECRETS_KEY/);
    for (const value of [...Object.values(secrets).flatMap((s) => Object.values(s) as string[]), previous.toString('hex'), current.toString('hex')]) {
      assert.equal(run.output.includes(value), false, 'the output holds no secret');
    }
    for (const id of [v2, v1]) assert.deepEqual(unsealSecrets({ current }, id, await findSealedSecrets(db, id)), secrets[id], `import ${id} opens under SECRETS_KEY alone`);
    assert.equal(await findSealedSecrets(db, none), null);
  });

  it('changes nothing when one credential opens under neither key, and names that import', async () => {
    await db.query('delete from imports');
    const previous = randomBytes(32);
    const current = randomBytes(32);
    // re-sealed in id order: the good one first, so a partial write would show
    const [good, lost] = [randomUUID(), randomUUID()].sort() as [string, string];
    await storeImport(good, sealSecrets({ current: previous }, good, { password: 'pw' }).sealed);
    await storeImport(lost, sealSecrets({ current: randomBytes(32) }, lost, { password: 'pw' }).sealed);
    const before = await db.query('select id, secrets from imports order by id');

    const run = await reseal({ current, previous });

    assert.equal(run.code, 1, run.output);
    assert.match(run.output, new RegExp(`import ${lost} could not be re-sealed; nothing was changed`));
    assert.deepEqual((await db.query('select id, secrets from imports order by id')).rows, before.rows);
  });
});
