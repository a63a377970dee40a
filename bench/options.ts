/** `npm run bench -- [--sizes 10000,100000,1000000] [--roster 100000|0] [--kill N] [--chunk N]` */
export interface BenchOptions {
  sizes: number[];
  /** Rows of the roster file; 0 skips it. */
  roster: number;
  /** SIGKILLs of the worker during the largest eligibility run. */
  kill: number;
  /** The worker's CHUNK_SIZE; undefined keeps the product's default. */
  chunk: number | undefined;
}

const count = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} wants a whole number ≥ 0, not ${JSON.stringify(text)}`);
  return n;
};

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { sizes: [10_000, 100_000, 1_000_000], roster: 100_000, kill: 0, chunk: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--sizes') {
      options.sizes = (value() ?? '').split(',').map((s) => count('--sizes', s.replace(/_/g, '')));
      if (options.sizes.some((n) => n === 0)) throw new Error('--sizes wants row counts above 0');
    } else if (flag === '--roster') options.roster = count('--roster', value());
    else if (flag === '--kill') options.kill = count('--kill', value());
    else if (flag === '--chunk') options.chunk = count('--chunk', value()) || undefined;
    else throw new Error(`unknown option ${flag}; known: --sizes 10000,100000 --roster 0 --kill N --chunk N`);
  }
  return options;
}
