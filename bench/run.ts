/**
 * The throughput benchmark (issue 9): realistic eligibility files (10,000, 100,000 and 1,000,000 rows by
 * default) and a 100,000-row roster, each run end to end on real components (Temporal dev server,
 * PostgreSQL, OpenSSH's SFTP, the worker as a separate process, the API) from the run request to the
 * completed run and the renamed file. Prints a table and writes bench/results/<timestamp>.json and latest.json.
 *   npm run bench -- [--sizes 10000,100000] [--roster 0] [--kill N] [--chunk N]
 */
import { DEFAULT_CHUNK_SIZE } from '../config';
import { startSshd } from '../test/sources/sshd';
import { startTestSystem } from '../test/support/system';
import { benchEligibility } from './eligibility-case';
import type { BenchEntry } from './entry';
import { describeMachine } from './machine';
import { parseOptions } from './options';
import { printTable, writeResult } from './report';
import { benchRoster } from './roster-case';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const chunkSize = options.chunk ?? DEFAULT_CHUNK_SIZE;
  const started = Date.now();
  const [system, sshd] = await Promise.all([startTestSystem({ chunkSize, inProcessWorker: false }), startSshd()]);
  const entries: BenchEntry[] = [];
  try {
    console.log(`components up in ${Date.now() - started} ms (Temporal dev server, PostgreSQL, sshd); chunk size ${chunkSize}`);
    const largest = Math.max(...options.sizes);
    for (const rows of options.sizes) {
      console.log(`eligibility, ${rows.toLocaleString('en-US')} rows:`);
      const entry = await benchEligibility(system, sshd, rows, rows === largest ? options.kill : 0);
      console.log(`  ${entry.wallSeconds} s, ${entry.rowsPerSecond} rows/s, summary ${JSON.stringify(entry.summary)}`);
      entries.push(entry);
    }
    if (options.roster > 0) {
      console.log(`roster, ${options.roster.toLocaleString('en-US')} rows:`);
      const entry = await benchRoster(system, sshd, options.roster);
      console.log(`  ${entry.wallSeconds} s, ${entry.rowsPerSecond} rows/s, summary ${JSON.stringify(entry.summary)}`);
      entries.push(entry);
    }
  } finally {
    await sshd.stop();
    await system.stop();
  }
  printTable(entries);
  const path = writeResult({ date: new Date().toISOString(), machine: describeMachine(), options: { chunkSize, kill: options.kill }, entries });
  console.log(`\nwritten to ${path} and bench/results/latest.json`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
