// A node:test reporter that collects every top-level `fault: …` test and, when the run ends, writes the
// table of faults survived (scripts/run-tests.mjs prints it before the spec reporter's summary).
// Plain .mjs because node loads reporters itself, before tsx.

const PREFIX = 'fault: ';

/** A fault survived when its test passed; one marked todo (known to fail) that failed is told apart from a new failure. */
function outcomeOf(type, data) {
  if (data.skip !== undefined && data.skip !== false) return 'not run';
  if (type === 'test:pass') return 'survived';
  return data.todo !== undefined && data.todo !== false ? 'failed (known)' : 'failed';
}

function seconds(data) {
  const ms = data.details?.duration_ms;
  return typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '';
}

export function faultTable(faults) {
  if (faults.length === 0) return '';
  const survived = faults.filter((f) => f.outcome === 'survived').length;
  const width = Math.max(...faults.map((f) => f.name.length), 'fault'.length);
  const lines = [
    '',
    `faults survived ${survived} of ${faults.length}`,
    `${'fault'.padEnd(width)}  ${'outcome'.padEnd(14)}  time`,
    ...faults.map((f) => `${f.name.padEnd(width)}  ${f.outcome.padEnd(14)}  ${f.time}`),
    '',
  ];
  return lines.join('\n');
}

export default async function* faultTableReporter(source) {
  const faults = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.nesting !== 0 || typeof data.name !== 'string' || !data.name.startsWith(PREFIX)) continue;
    faults.push({ name: data.name.slice(PREFIX.length), outcome: outcomeOf(event.type, data), time: seconds(data) });
  }
  yield faultTable(faults);
}
