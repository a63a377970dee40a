import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig } from '../../domain/connection';
import type { TestFileServer } from '../sources/file-server';
import { startSmbd, type SmbTestServer } from '../sources/smbd';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, faultDistrict, startRun, type FaultDistrict } from './fault-fixtures';

/** A file that would be created if any name below reached a shell. */
const CANARY = `si-canary-${randomBytes(4).toString('hex')}`;
const canaryPlaces = (server: TestFileServer) => [process.cwd(), tmpdir(), server.rootDir, '/'];

/** Each hostile name, and what must become of it: imported (renamed `P_…`), the file's own problem (its code), or not the kind's file at all. */
type Fate = 'imported' | { problem: string } | 'not taken';
interface NamedFile {
  name: string;
  sftp: Fate;
  smb: Fate;
}

const UNSAFE_FOR_SMBCLIENT = { problem: 'UNSAFE_FILE_NAME' };
const NAMES: NamedFile[] = [
  { name: `IC_Eligibility_a;touch ${CANARY};.csv`, sftp: 'imported', smb: UNSAFE_FOR_SMBCLIENT },
  { name: `IC_Eligibility_$(touch ${CANARY}).csv`, sftp: 'imported', smb: 'imported' },
  { name: `IC_Eligibility_\`touch ${CANARY}\`.csv`, sftp: 'imported', smb: 'imported' },
  { name: `IC_Eligibility_b|touch ${CANARY}.csv`, sftp: 'imported', smb: UNSAFE_FOR_SMBCLIENT },
  { name: `IC_Eligibility_c" & touch ${CANARY} & ".csv`, sftp: 'imported', smb: UNSAFE_FOR_SMBCLIENT },
  { name: 'IC_Eligibility_Zoë_学生_🎓.csv', sftp: 'imported', smb: 'imported' },
  { name: 'IC_Eligibility_..csv', sftp: 'imported', smb: 'imported' },
  { name: 'IC_Eligibility_..', sftp: 'imported', smb: UNSAFE_FOR_SMBCLIENT },
  { name: 'IC_Eligibility_-rf --help.csv', sftp: 'imported', smb: 'imported' },
  { name: '-IC_Eligibility_dash.csv', sftp: 'not taken', smb: 'not taken' },
  { name: '--IC_Eligibility=x.csv', sftp: 'not taken', smb: 'not taken' },
];

let system: TestSystem;
let district: FaultDistrict;
const studentOf = (protocol: string, i: number) => `${protocol}${i + 1}`;
const PROTOCOLS = ['sftp', 'smb'];

before(async () => {
  system = await startTestSystem({ runReaperGraceSeconds: 30 });
  district = await faultDistrict(system, 'File Names USD', PROTOCOLS.flatMap((p) => [...NAMES.map((_, i) => studentOf(p, i)), `${p}-next`]));
});
after(() => system?.stop());

/** Puts every named file (one student each, oldest first), runs the import once, and checks each file's fate. */
async function runOverNames(protocol: 'sftp' | 'smb', server: TestFileServer, connection: ConnectionConfig, dir: string) {
  const fateOf = (f: NamedFile) => f[protocol];
  const localDir = join(server.rootDir, dir);
  for (const [i, file] of NAMES.entries()) {
    const path = putServerFile(server, dir, file.name, eligibilityFile([studentOf(protocol, i)]));
    const at = new Date(Date.UTC(2026, 0, 1, 0, i));
    utimesSync(path, at, at);
  }
  const importId = await createEligibilityImport(system, district.key, { name: `Names over ${protocol}`, mappingId: district.mappingId, connection });
  const uncaught = watchUncaught();
  const { runId } = await startRun(system, district.key, importId);
  const { run, report } = await assertSurvived(system, district.key, runId);
  uncaught.assertNone();

  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  const left = readdirSync(localDir);
  for (const file of NAMES) {
    const fate = fateOf(file);
    const runFile = run.files.find((f: { name: string }) => f.name === file.name);
    const codes = report.problems.filter((p: { file: string }) => p.file === file.name).map((p: { code: string }) => p.code);
    if (fate === 'not taken') {
      assert.equal(runFile, undefined, `${JSON.stringify(file.name)} is not an eligibility file`);
      assert.ok(left.includes(file.name), `${JSON.stringify(file.name)} stays untouched`);
    } else if (fate === 'imported') {
      assert.equal(runFile?.status, 'processed', `${JSON.stringify(file.name)}: ${JSON.stringify(runFile)} ${codes.join(', ')}`);
      assert.ok(left.includes(runFile.renamedTo), `${JSON.stringify(file.name)} is renamed to ${JSON.stringify(runFile.renamedTo)}`);
    } else {
      assert.deepEqual(codes, [fate.problem], `${JSON.stringify(file.name)}: ${JSON.stringify(runFile)}`);
      assert.ok(left.includes(file.name), `${JSON.stringify(file.name)} stays in place`);
    }
  }
  const imported = NAMES.filter((f) => fateOf(f) === 'imported').length;
  assert.equal(run.progress.rowsApplied, imported, 'one row from each imported file');
  for (const place of canaryPlaces(server)) assert.ok(!existsSync(join(place, CANARY)), `a name was executed: ${join(place, CANARY)} exists`);

  putServerFile(server, dir, 'IC_Eligibility_next.csv', eligibilityFile([`${protocol}-next`]));
  await assertNotWedged(system, district.key, importId);
}

test('fault: shell metacharacters, unicode, .. and leading dashes in file names over SFTP', async () => {
  const sshd: TestSshd = await startSshd();
  try {
    await runOverNames('sftp', sshd, sshd.connection('names'), 'names');
  } finally {
    await sshd.stop();
  }
});

test('fault: shell metacharacters, unicode, .. and leading dashes in file names over SMB (smbclient quoting)', async () => {
  const smbd: SmbTestServer = await startSmbd('debian');
  try {
    // the share without mangling shows the names as they are, as a Linux server's files would be
    await runOverNames('smb', smbd, { ...smbd.connection('names'), directoryPath: `${smbd.rawShare}/names` }, 'names');
  } finally {
    await smbd.stop();
  }
});
