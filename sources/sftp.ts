import type { Readable } from 'node:stream';
import type { Stats } from 'ssh2';
import { directorySegments, type ConnectionConfig, type ConnectionSettings } from '../domain/connection';
import { connectionError, fileError, type ConnectionError } from '../domain/connection-errors';
import type { AdapterOptions, FileSource, RemoteFile } from './file-source';
import { directoryOperationFailure, fileOperationFailure, SFTP_STATUS, sftpStatus } from './sftp-errors';
import { openSftpRead } from './sftp-read-stream';
import { SftpRequests } from './sftp-requests';
import { openSftpSession, type SftpSession } from './sftp-session';

const DEFAULT_TIMEOUT_MS = 20_000;

/** Opens an SFTP session on the import's directory: host key pinned, credentials checked, directory present. */
export async function connectSftp(config: ConnectionConfig, options: AdapterOptions): Promise<FileSource> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // ssh2's readyTimeout ends at authentication; this deadline also covers opening SFTP and checking the directory.
  let timedOut = false;
  let abort: (() => void) | undefined;
  const deadline = setTimeout(() => {
    timedOut = true;
    abort?.();
  }, timeoutMs);

  let session: SftpSession | undefined;
  try {
    session = await openSftpSession(config, { timeoutMs, address: options.address }, (destroy) => (abort = destroy));
    const directory = directoryPathOf(config.directoryPath);
    const requests = new SftpRequests(session.sftp);
    await checkDirectory(requests, directory, config);
    return new SftpFileSource(session, requests, directory, settingsOf(config));
  } catch (error) {
    await session?.close();
    if (timedOut) throw connectionError('TIMEOUT', config, { cause: error });
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

/** SFTP paths without a leading `/` are relative to the login directory, which is what `directoryPath` means. */
function directoryPathOf(directoryPath: string): string {
  const segments = directorySegments(directoryPath);
  return segments.length === 0 ? '.' : segments.join('/');
}

async function checkDirectory(requests: SftpRequests, directory: string, settings: ConnectionSettings): Promise<void> {
  let stats: Stats;
  try {
    stats = await requests.stat(directory);
  } catch (error) {
    throw directoryOperationFailure(error, settings, 'opening the directory');
  }
  if (!stats.isDirectory()) throw connectionError('DIRECTORY_NOT_FOUND', settings, { detail: 'the path is not a directory' });
}

/** Only the non-secret part travels with the source, so no message can ever include a secret. */
function settingsOf(config: ConnectionConfig): ConnectionSettings {
  const { password: _password, privateKey: _privateKey, passphrase: _passphrase, ...settings } = config;
  return settings;
}

class SftpFileSource implements FileSource {
  readonly fingerprint: string;
  readonly keyType: string | undefined;

  constructor(
    private readonly session: SftpSession,
    private readonly requests: SftpRequests,
    private readonly directory: string,
    private readonly settings: ConnectionSettings,
  ) {
    this.fingerprint = session.hostKey.fingerprint;
    this.keyType = session.hostKey.keyType;
  }

  async list(): Promise<RemoteFile[]> {
    let entries;
    try {
      entries = await this.requests.readdir(this.directory);
    } catch (error) {
      throw directoryOperationFailure(error, this.settings, 'listing the directory');
    }
    const files: RemoteFile[] = [];
    for (const entry of entries) {
      if (entry.attrs.isFile()) {
        files.push(remoteFile(entry.filename, entry.attrs));
      } else if (entry.attrs.isSymbolicLink() && isSafeFileName(entry.filename)) {
        // readdir describes the link itself; a link counts when it leads to a regular file.
        const target = await this.stat(entry.filename);
        if (target) files.push(target);
      }
    }
    return files;
  }

  async stat(name: string): Promise<RemoteFile | undefined> {
    const path = this.pathOf(name);
    try {
      const stats = await this.requests.stat(path);
      return stats.isFile() ? remoteFile(name, stats) : undefined;
    } catch (error) {
      if (sftpStatus(error) === SFTP_STATUS.NO_SUCH_FILE) return undefined;
      throw fileOperationFailure(error, this.settings, { action: 'reading the attributes of', fileName: name });
    }
  }

  readonly resumesReads = true;

  async openRead(name: string, from = 0): Promise<Readable> {
    const path = this.pathOf(name);
    let handle: Buffer;
    try {
      handle = await this.requests.open(path, 'r');
    } catch (error) {
      throw fileOperationFailure(error, this.settings, { action: 'opening', fileName: name });
    }
    return openSftpRead(this.session.sftp, this.requests, handle, from, (error) =>
      fileOperationFailure(error, this.settings, { action: 'reading', fileName: name }),
    );
  }

  async rename(from: string, to: string): Promise<void> {
    const fromPath = this.pathOf(from);
    const toPath = this.pathOf(to);
    if (await this.exists(to, toPath)) throw this.targetExists(from, to);
    try {
      await this.requests.rename(fromPath, toPath);
    } catch (error) {
      // SFTP v3 rename refuses an existing target with a generic failure; it may have appeared since the check.
      if (sftpStatus(error) === SFTP_STATUS.FAILURE && (await this.exists(to, toPath))) throw this.targetExists(from, to, error);
      throw fileOperationFailure(error, this.settings, { action: `renaming to ${JSON.stringify(to)}`, fileName: from });
    }
  }

  /** Replaces a file of the same name, so a retried write is harmless. */
  async write(name: string, content: Buffer): Promise<void> {
    const path = this.pathOf(name);
    try {
      await this.requests.writeFile(path, content);
    } catch (error) {
      throw fileOperationFailure(error, this.settings, { action: 'writing', fileName: name });
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }

  async alive(): Promise<boolean> {
    try {
      return (await this.requests.stat(this.directory)).isDirectory();
    } catch {
      return false;
    }
  }

  private async exists(name: string, path: string): Promise<boolean> {
    try {
      await this.requests.lstat(path);
      return true;
    } catch (error) {
      if (sftpStatus(error) === SFTP_STATUS.NO_SUCH_FILE) return false;
      throw fileOperationFailure(error, this.settings, { action: 'checking', fileName: name });
    }
  }

  private targetExists(from: string, to: string, cause?: unknown): ConnectionError {
    return fileError('FILE_EXISTS', this.settings, to, `already exists, so ${JSON.stringify(from)} was not renamed`, cause);
  }

  private pathOf(name: string): string {
    if (!isSafeFileName(name)) throw fileError('UNSAFE_FILE_NAME', this.settings, name, 'a file name may not be empty, "." or "..", or contain a path separator');
    return this.directory === '.' ? name : `${this.directory}/${name}`;
  }
}

/** Both separators are refused: Windows SFTP servers treat `\` as one. */
function isSafeFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name);
}

function remoteFile(name: string, stats: Stats): RemoteFile {
  return { name, size: stats.size, modifiedAt: new Date(stats.mtime * 1000) };
}
