import { createHash } from 'node:crypto';
import type { ConnectionConfig } from '../domain/connection';
import type { FileSource } from '../sources/file-source';

/** How long a run's session waits for the run's next activity before it is closed. */
const IDLE_MS = 10_000;
/** Idle sessions one worker keeps at most, over all runs. */
const MAX_IDLE = 50;

/**
 * A run's file-server session kept for its next activity: a file costs a claim, a download and a rename, and
 * an SSH login took about 95 ms of each on loopback. Only a source that can say it is still alive is kept, only
 * for a few seconds, and only for the same run with the same connection and credentials (the key is a hash of
 * them, held in this process only). A session is handed to one activity at a time.
 */
export class RunSessions {
  private readonly idle = new Map<string, { source: FileSource; timer: NodeJS.Timeout }>();

  constructor(private readonly idleMs = IDLE_MS) {}

  static key(runId: string, config: ConnectionConfig): string {
    return createHash('sha256').update(runId).update('\0').update(JSON.stringify(config)).digest('hex');
  }

  /** The run's idle session if it answers, else undefined (a dead one is closed). */
  async take(key: string): Promise<FileSource | undefined> {
    const entry = this.idle.get(key);
    if (!entry) return undefined;
    this.idle.delete(key);
    clearTimeout(entry.timer);
    if (await entry.source.alive!().catch(() => false)) return entry.source;
    await closeQuietly(entry.source);
    return undefined;
  }

  /** Keeps a session that did its work; one that cannot check it is alive is closed instead. */
  async keep(key: string, source: FileSource): Promise<void> {
    if (!source.alive || (this.idle.size >= MAX_IDLE && !this.idle.has(key))) return closeQuietly(source);
    const previous = this.idle.get(key);
    if (previous) {
      clearTimeout(previous.timer);
      await closeQuietly(previous.source);
    }
    const timer = setTimeout(() => {
      if (this.idle.get(key)?.source === source) this.idle.delete(key);
      void closeQuietly(source);
    }, this.idleMs);
    timer.unref();
    this.idle.set(key, { source, timer });
  }

  async closeAll(): Promise<void> {
    const entries = [...this.idle.values()];
    this.idle.clear();
    await Promise.all(
      entries.map((entry) => {
        clearTimeout(entry.timer);
        return closeQuietly(entry.source);
      }),
    );
  }
}

async function closeQuietly(source: FileSource): Promise<void> {
  await source.close().catch(() => undefined);
}
