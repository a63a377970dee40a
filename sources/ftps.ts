import { PassThrough, Readable } from 'node:stream';
import type { Client } from 'basic-ftp';
import type { ConnectionConfig, ConnectionSettings } from '../domain/connection';
import { ConnectionError, connectionError, fileError } from '../domain/connection-errors';
import type { AdapterOptions, FileSource, RemoteFile } from './file-source';
import { downloadInto } from './ftps-download';
import { ftpReplyCode, toConnectionError } from './ftps-errors';
import { toRemoteFile, unless550 } from './ftps-listing';
import { openFtpsSession, type FtpsSession, type FtpsTarget } from './ftps-session';

const DEFAULT_TIMEOUT_MS = 20_000;

/** FTPS (implicit TLS by default, or explicit AUTH TLS), passive mode, on basic-ftp. */
export async function connectFtps(config: ConnectionConfig, options: AdapterOptions): Promise<FileSource> {
  const target: FtpsTarget = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, address: options.address };
  const session = await openFtpsSession(config, target);
  return new FtpsFileSource(config, target, session);
}

class FtpsFileSource implements FileSource {
  readonly fingerprint: string;
  private readonly settings: ConnectionSettings;
  /** basic-ftp runs one command at a time, so operations take turns on this chain. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly config: ConnectionConfig,
    /** A reopened session goes to the same checked address. */
    private readonly target: FtpsTarget,
    private session: FtpsSession,
  ) {
    this.fingerprint = session.fingerprint;
    const { password: _password, privateKey: _key, passphrase: _passphrase, ...settings } = config;
    this.settings = settings;
  }

  list(): Promise<RemoteFile[]> {
    return this.exclusive(async (client, features) => {
      const entries = await client.list().catch((error: unknown) => {
        throw this.fileFailure(error, '.', 'listing');
      });
      const files: RemoteFile[] = [];
      for (const entry of entries) {
        const file = await toRemoteFile(client, entry, features);
        if (file) files.push(file);
      }
      return files;
    });
  }

  async stat(name: string): Promise<RemoteFile | undefined> {
    this.checkName(name);
    return this.exclusive((client, features) => this.statIn(client, features, name));
  }

  readonly resumesReads = true;

  async openRead(name: string, from = 0): Promise<Readable> {
    this.checkName(name);
    return new Promise<Readable>((resolve, reject) => {
      this.exclusive(async (client, features) => {
        if (!(await this.statIn(client, features, name))) throw fileError('FILE_NOT_FOUND', this.settings, name, 'does not exist');
        const out = new PassThrough();
        resolve(out);
        try {
          await downloadInto(client, name, out, from);
          out.end();
        } catch (error) {
          // The server may still answer the aborted RETR; a fresh session avoids reading that as the next reply.
          client.close();
          if (!out.destroyed) out.destroy(this.fileFailure(error, name, 'reading'));
        }
      }).catch(reject);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    this.checkName(from);
    this.checkName(to);
    return this.exclusive(async (client) => {
      // RNTO replaces an existing target silently, so look first. Case-insensitively: some servers are.
      const names = new Set((await client.list()).map((entry) => entry.name.toLowerCase()));
      if (names.has(to.toLowerCase())) {
        throw fileError('FILE_EXISTS', this.settings, to, `already exists; ${JSON.stringify(from)} was not renamed`);
      }
      if (!names.has(from.toLowerCase())) throw fileError('FILE_NOT_FOUND', this.settings, from, 'does not exist');
      try {
        await client.rename(from, to);
      } catch (error) {
        throw this.fileFailure(error, from, `renaming to ${JSON.stringify(to)}`);
      }
    });
  }

  async write(name: string, content: Buffer): Promise<void> {
    this.checkName(name);
    return this.exclusive(async (client) => {
      try {
        await client.uploadFrom(Readable.from([content]), name);
      } catch (error) {
        throw this.fileFailure(error, name, 'writing');
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.session.client.close();
    } catch {
      // closing is best effort
    }
  }

  /** Runs `work` when the previous operation is done, on a live session (reopened if a failure closed it). */
  private exclusive<T>(work: (client: Client, features: ReadonlySet<string>) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      if (this.closed) throw connectionError('PROTOCOL_ERROR', this.settings, { detail: 'the session was already closed' });
      if (this.session.client.closed) this.session = await openFtpsSession(this.config, this.target);
      try {
        return await work(this.session.client, this.session.features);
      } catch (error) {
        throw toConnectionError(error, this.settings, 'operation');
      }
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async statIn(client: Client, features: ReadonlySet<string>, name: string): Promise<RemoteFile | undefined> {
    if (features.has('SIZE') && features.has('MDTM')) {
      // SIZE fails for anything but a regular file, which is what we want.
      const size = await unless550(client.size(name));
      if (size === undefined) return undefined;
      const modifiedAt = await unless550(client.lastMod(name));
      return modifiedAt && { name, size, modifiedAt };
    }
    const entry = (await client.list()).find((e) => e.name === name);
    return entry && toRemoteFile(client, entry, features);
  }

  /** 550/553 on a file (or the directory) we could see mean the user may not do that to it. */
  private fileFailure(error: unknown, name: string, action: string): ConnectionError {
    const reply = ftpReplyCode(error);
    if (reply === 550 || reply === 553) {
      const text = error instanceof Error ? error.message : String(error);
      return connectionError('PERMISSION_DENIED', this.settings, { detail: `${action} ${JSON.stringify(name)}: ${text}`, cause: error });
    }
    return toConnectionError(error, this.settings, 'operation');
  }

  private checkName(name: string): void {
    if (name === '' || name === '.' || name === '..' || /[\\/\0\r\n]/.test(name)) {
      throw fileError('UNSAFE_FILE_NAME', this.settings, name, 'must be a plain file name inside the directory');
    }
  }
}
