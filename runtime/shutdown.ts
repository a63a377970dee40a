type Stop = () => Promise<void>;

/**
 * Stops what was started, in a fixed order of names (e.g. API before worker before
 * Temporal before PostgreSQL) whatever order things finished starting in. Each stop gets
 * a time limit, and one failing does not keep the rest running.
 */
export class Shutdown {
  private readonly stops = new Map<string, Stop>();
  private running: Promise<Error[]> | undefined;

  constructor(
    private readonly order: readonly string[],
    private readonly log: (line: string) => void = () => undefined,
    private readonly timeoutMs = 60_000,
  ) {}

  register(name: string, stop: Stop): void {
    if (!this.order.includes(name)) throw new Error(`Shutdown has no place for "${name}".`);
    this.stops.set(name, stop);
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  /** Stops everything registered; calling it again returns the same result. */
  run(): Promise<Error[]> {
    this.running ??= this.stopAll();
    return this.running;
  }

  private async stopAll(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const name of this.order) {
      const stop = this.stops.get(name);
      if (!stop) continue;
      this.stops.delete(name);
      this.log(`Stopping ${name}…`);
      try {
        await withTimeout(stop(), this.timeoutMs, `${name} did not stop within ${this.timeoutMs / 1000} s`);
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)));
        this.log(`Stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return errors;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
