import { lookup } from 'node:dns/promises';
import { PassThrough, type Readable } from 'node:stream';
import { SMB_SECURITY_DEFAULT, type ConnectionConfig, type ConnectionSettings, type SmbSession } from '../domain/connection';
import { ConnectionError, connectionError, fileError } from '../domain/connection-errors';
import type { AdapterOptions, FileSource, RemoteFile } from './file-source';
import { createAuthFile, credentialsProblem, type SmbAuthFile } from './smb-auth-file';
import { runSmbclient, startSmbclient, succeeded, type SmbclientExit, type SmbclientOptions } from './smb-client-process';
import { isRegularFile, parseSmbListing } from './smb-listing';
import { quoted, remotePath, smbLocation, unsafeNameReason, type SmbLocation } from './smb-paths';
import { parseSmbSession, securityOptions, SESSION_DEBUG_LEVEL } from './smb-security';
import { ntStatusOf, smbFailure } from './smb-status';

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Opens an SMB session by running Debian's `smbclient`, one process per operation (see
 * PROTOCOLS.md for why no JS client). Checks that the share and directory exist and can be listed.
 */
export async function connectSmb(config: ConnectionConfig, options: AdapterOptions): Promise<FileSource> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settings = settingsOf(config);
  const location = smbLocation(settings);
  const problem = credentialsProblem(config);
  if (problem) throw connectionError('AUTH_FAILED', settings, { detail: `${problem}, which smbclient cannot read` });

  const address = options.address ?? (await resolveHost(settings, timeoutMs));
  let authFile: SmbAuthFile;
  try {
    authFile = await createAuthFile(config);
  } catch (error) {
    throw connectionError('PROTOCOL_ERROR', settings, { detail: "smbclient's credentials file could not be written", cause: error });
  }
  const source = new SmbFileSource(settings, location, sessionArgs(settings, location, address, authFile.path), authFile, timeoutMs);
  try {
    await source.list();
  } catch (error) {
    await source.close();
    throw error;
  }
  return source;
}

/** The connection without its secrets, for messages. */
function settingsOf(config: ConnectionConfig): ConnectionSettings {
  const { password: _password, privateKey: _privateKey, passphrase: _passphrase, ...settings } = config;
  return settings;
}

/** smbclient reports an unknown host only as NT_STATUS_UNSUCCESSFUL, so resolve here and pass the address with `-I`. */
async function resolveHost(settings: ConnectionSettings, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(connectionError('TIMEOUT', settings, { detail: 'looking up the host name' })), timeoutMs);
  });
  try {
    const { address } = await Promise.race([lookup(settings.host), timeout]);
    return address;
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    throw connectionError('HOST_NOT_FOUND', settings, { detail: (error as { code?: string }).code, cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Everything but the command. `-m SMB3` is the highest dialect; the lowest, and whether
 * signing and encryption are required, follow the connection's smbSecurity (see
 * securityOptions). Kerberos is off so that the login is always NTLMv2 with the given
 * credentials, whatever the host's smb.conf says.
 */
function sessionArgs(settings: ConnectionSettings, location: SmbLocation, address: string, authPath: string): string[] {
  return [
    `//${settings.host}/${location.share}`,
    '-I', address,
    '-p', String(settings.port),
    '-m', 'SMB3',
    ...securityOptions(settings.smbSecurity ?? SMB_SECURITY_DEFAULT),
    '-A', authPath,
    '--use-kerberos=off',
    '--option=client ntlmv2 auth=yes',
    '-E',
  ];
}

class SmbFileSource implements FileSource {
  readonly fingerprint = undefined;
  private readonly running = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly location: SmbLocation,
    private readonly args: string[],
    private readonly authFile: SmbAuthFile,
    private readonly timeoutMs: number,
  ) {}

  async list(): Promise<RemoteFile[]> {
    const exit = await this.run(`ls ${quoted(remotePath(this.location, '*'))}`);
    // A Windows volume root has no `.` entries, so an empty one answers "no such file".
    if (!succeeded(exit) && ntStatusOf(exit.messages) === 'NT_STATUS_NO_SUCH_FILE') return [];
    if (!succeeded(exit)) throw smbFailure(exit, this.settings, { kind: 'directory' });
    return parseSmbListing(exit.messages).filter(isRegularFile).map(({ name, size, modifiedAt }) => ({ name, size, modifiedAt }));
  }

  /**
   * One more run, with debug output and `quit` as its only command, so that no server data
   * (file names) mixes with the debug lines parseSmbSession reads.
   */
  async smbSession(): Promise<SmbSession> {
    const exit = await this.run('quit', undefined, ['-d', String(SESSION_DEBUG_LEVEL)]);
    if (!succeeded(exit)) throw smbFailure(exit, this.settings, { kind: 'directory' });
    const session = parseSmbSession(exit.messages);
    if (!session) throw connectionError('PROTOCOL_ERROR', this.settings, { detail: "smbclient's debug output did not show the negotiated dialect and the tree connect" });
    return session;
  }

  async stat(name: string): Promise<RemoteFile | undefined> {
    this.refuseUnsafe(name);
    const exit = await this.run(`ls ${quoted(remotePath(this.location, name))}`);
    if (!succeeded(exit)) {
      const status = ntStatusOf(exit.messages);
      if (status === 'NT_STATUS_NO_SUCH_FILE' || status === 'NT_STATUS_OBJECT_NAME_NOT_FOUND') return undefined;
      throw smbFailure(exit, this.settings, { kind: 'file', name, action: 'checking' });
    }
    // Servers match names case-insensitively; prefer the exact name when both exist.
    const entries = parseSmbListing(exit.messages);
    const entry = entries.find((e) => e.name === name) ?? (entries.length === 1 ? entries[0] : undefined);
    return entry && isRegularFile(entry) ? { name: entry.name, size: entry.size, modifiedAt: entry.modifiedAt } : undefined;
  }

  async openRead(name: string): Promise<Readable> {
    this.refuseUnsafe(name);
    this.refuseWhenClosed();
    const stream = new PassThrough();
    const run = startSmbclient([...this.args, '-c', `get ${quoted(remotePath(this.location, name))} -`], {
      timeoutMs: this.timeoutMs,
      home: this.authFile.directory,
      output: stream,
    });
    const untrack = this.track(run.kill);
    // A reader that stops early ends the download.
    stream.once('close', run.kill);
    void run.finished.then((exit) => {
      untrack();
      const failure = this.readFailure(exit, name);
      if (failure) stream.destroy(failure);
      else stream.end();
    });
    return stream;
  }

  async rename(from: string, to: string): Promise<void> {
    this.refuseUnsafe(from);
    this.refuseUnsafe(to);
    const exit = await this.run(`rename ${quoted(remotePath(this.location, from))} ${quoted(remotePath(this.location, to))}`);
    if (succeeded(exit)) return;
    const collision = ntStatusOf(exit.messages) === 'NT_STATUS_OBJECT_NAME_COLLISION';
    const target = collision
      ? { kind: 'file' as const, name: to, action: `renaming ${JSON.stringify(from)} to it` }
      : { kind: 'file' as const, name: from, action: `renaming it to ${JSON.stringify(to)}` };
    throw smbFailure(exit, this.settings, target);
  }

  async write(name: string, content: Buffer): Promise<void> {
    this.refuseUnsafe(name);
    const exit = await this.run(`put - ${quoted(remotePath(this.location, name))}`, content);
    if (!succeeded(exit)) throw smbFailure(exit, this.settings, { kind: 'file', name, action: 'writing' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const kill of this.running) kill();
    await this.authFile.remove();
  }

  private async run(command: string, input?: Buffer, extraArgs: string[] = []): Promise<SmbclientExit> {
    this.refuseWhenClosed();
    const options: SmbclientOptions = { timeoutMs: this.timeoutMs, home: this.authFile.directory, input };
    return runSmbclient([...this.args, ...extraArgs, '-c', command], options);
  }

  /** Remembers a running download so close() can stop it; returns the way to forget it. */
  private track(kill: () => void): () => void {
    this.running.add(kill);
    return () => this.running.delete(kill);
  }

  /**
   * Why a download cannot be trusted, or undefined. Besides the exit status, the byte count
   * must match the size smbclient reports (`getting file … of size N as -`), so a cut-off
   * transfer can never pass as a short file.
   */
  private readFailure(exit: SmbclientExit, name: string): ConnectionError | undefined {
    if (!succeeded(exit)) return smbFailure(exit, this.settings, { kind: 'file', name, action: 'reading' });
    const reported = [...exit.messages.matchAll(/ of size (\d+) as -/g)].pop()?.[1];
    if (reported !== undefined && Number(reported) !== exit.outputBytes) {
      return connectionError('PROTOCOL_ERROR', this.settings, { detail: `read ${JSON.stringify(name)}: got ${exit.outputBytes} of ${reported} bytes` });
    }
    return undefined;
  }

  /** Names smbclient's command line cannot carry never reach a command; list() still reports them. */
  private refuseUnsafe(name: string) {
    const reason = unsafeNameReason(name);
    if (reason) throw fileError('UNSAFE_FILE_NAME', this.settings, name, `refused: ${reason}`);
  }

  private refuseWhenClosed() {
    if (this.closed) throw connectionError('PROTOCOL_ERROR', this.settings, { detail: 'the session is closed' });
  }
}
