/**
 * Measures an eligibility import end to end on real components (Temporal dev server, PostgreSQL,
 * OpenSSH), driven through the API as an admin would. Prints figures; asserts nothing.
 *   npm run bench -- [rows=10000] [chunkSize=2000]
 */
import { startSshd } from '../test/sources/sshd';
import { createDistrictWithKey, putServerFile } from '../test/support/fixtures';
import { startTestSystem, waitForRun } from '../test/support/system';

const rows = Number(process.argv[2] ?? 10_000);
const chunkSize = Number(process.argv[3] ?? 2000);

function eligibilityFile(count: number): string {
  const lines = ['Student ID,Status,Type,Start,End,App,Ref'];
  const codes = ['F', 'R', 'S'];
  for (let i = 0; i < count; i++) {
    const month = String(8 + (i % 5)).padStart(2, '0');
    lines.push(`${String(i).padStart(7, '0')},${codes[i % 3]},D,${month}/01/2025,,Bench App,REF${i}`);
  }
  return lines.join('\r\n') + '\r\n';
}

async function main() {
  const started = Date.now();
  const [system, sshd] = await Promise.all([startTestSystem({ chunkSize }), startSshd()]);
  try {
    console.log(`components up in ${Date.now() - started} ms (Temporal dev server, PostgreSQL, worker, sshd)`);
    const { key } = await createDistrictWithKey(system, 'Bench USD');
    const as = { key };
    for (let from = 0; from < rows; from += 10_000) {
      const students = Array.from({ length: Math.min(10_000, rows - from) }, (_, k) => ({ studentNumber: String(from + k).padStart(7, '0'), firstName: 'Bench', lastName: `Student${from + k}` }));
      await system.call('PUT', '/api/students', { ...as, body: students });
    }
    const mapping = await system.call('POST', '/api/mappings', {
      ...as,
      body: {
        name: 'bench', schoolYear: 2026, format: 'csv', hasHeader: true, dateFormat: 'MM/DD/YYYY', identifier: 'studentNumber',
        columns: { studentNumber: 'Student ID', eligibility: 'Status', certifiedType: 'Type', startDate: 'Start', endDate: 'End', applicationName: 'App', referenceNumber: 'Ref' },
      },
    });
    const imp = await system.call('POST', '/api/imports', { ...as, body: { name: 'Bench', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('bench') } });
    const content = eligibilityFile(rows);
    putServerFile(sshd, 'bench', 'IC_Eligibility_bench.csv', content);
    console.log(`file: ${rows} rows, ${(Buffer.byteLength(content) / 1e6).toFixed(1)} MB; chunk size ${chunkSize}`);

    for (const mode of ['test', 'run'] as const) {
      const t0 = Date.now();
      const res = await system.call('POST', `/api/imports/${imp.body.id}/${mode}`, as);
      const run = await waitForRun(system, key, res.body.runId, 30 * 60_000);
      const ms = Date.now() - t0;
      console.log(`${mode === 'test' ? 'Test Import' : 'Run'}: ${ms} ms wall, ${Math.round((rows / ms) * 1000)} rows/s, status ${run.status}, summary ${JSON.stringify(run.summary)}`);
    }
  } finally {
    await sshd.stop();
    await system.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
