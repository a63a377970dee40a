/**
 * Measures how long the admin web page takes to answer, over HTTP, on real components (Temporal dev server,
 * PostgreSQL): the import list (one API request per import shown, each asking Temporal for its next runs),
 * an import's page and the Batch Queue. Prints figures; asserts nothing.
 *   npx tsx bench/web-pages.ts [imports=25] [requests=20]
 */
import { serveApi } from '../api/serve';
import { createDistrictWithKey, DATA_TEAM_RIGHTS, SHORT_HEADER_MAPPING } from '../test/support/fixtures';
import { startTestSystem } from '../test/support/system';

const imports = Number(process.argv[2] ?? 25);
const requests = Number(process.argv[3] ?? 20);

async function main() {
  const system = await startTestSystem({ inProcessWorker: false });
  const api = await serveApi(system.config, { host: '127.0.0.1', port: 0 });
  try {
    const { key } = await createDistrictWithKey(system, 'Bench Web', 'America/Chicago', DATA_TEAM_RIGHTS);
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    const ids: string[] = [];
    for (let i = 0; i < imports; i++) {
      const created = await system.call('POST', '/api/imports', {
        key,
        body: {
          name: `Bench import ${i}`, kind: 'eligibility', mappingId: mapping.body.id,
          connection: { protocol: 'sftp', host: '127.0.0.1', port: 22, username: 'bench', password: 'bench', directoryPath: 'In' },
          schedule: { frequency: 'daily', time: '22:00' },
        },
      });
      if (created.status !== 201) throw new Error(created.text);
      ids.push(created.body.id);
    }
    const signIn = await fetch(`${api.url}/ui/sign-in`, { method: 'POST', body: new URLSearchParams({ key }), redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    for (const [label, path] of [['import list', '/ui/'], ['an import', `/ui/imports/${ids[0]}`], ['Batch Queue', '/ui/batch-queue']] as const) {
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        const res = await fetch(`${api.url}${path}`, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
      console.log(`${label.padEnd(12)} ${imports} imports: median ${at(0.5)} ms, p95 ${at(0.95)} ms (${requests} requests)`);
    }
  } finally {
    await api.stop();
    await system.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
