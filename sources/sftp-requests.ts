import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

/** Promise forms of the ssh2 SFTP requests the adapter uses; failures keep ssh2's error (SFTP status in `code`). */
export class SftpRequests {
  /** Set once the channel has ended (e.g. the server died): ssh2 fails the requests then pending, but would queue later ones forever. */
  private ended = false;

  constructor(private readonly sftp: SFTPWrapper) {
    const end = () => {
      this.ended = true;
    };
    sftp.once('end', end);
    sftp.once('close', end);
  }

  private call<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
    if (this.ended) return Promise.reject(new Error('No response from server: the SFTP session has ended.'));
    return call(start);
  }

  stat(path: string): Promise<Stats> {
    return this.call((done) => this.sftp.stat(path, done));
  }

  lstat(path: string): Promise<Stats> {
    return this.call((done) => this.sftp.lstat(path, done));
  }

  readdir(path: string): Promise<FileEntryWithStats[]> {
    return this.call((done) => this.sftp.readdir(path, done));
  }

  rename(from: string, to: string): Promise<void> {
    return this.call<void>((done) => this.sftp.rename(from, to, (error) => done(error, undefined)));
  }

  writeFile(path: string, content: Buffer): Promise<void> {
    return this.call<void>((done) => this.sftp.writeFile(path, content, (error) => done(error, undefined)));
  }

  open(path: string, flags: 'r'): Promise<Buffer> {
    return this.call((done) => this.sftp.open(path, flags, done));
  }

  close(handle: Buffer): Promise<void> {
    return this.call<void>((done) => this.sftp.close(handle, (error) => done(error, undefined)));
  }
}

function call<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // ssh2 throws synchronously when the channel is already closed; the executor turns that into a rejection.
    start((error, value) => (error ? reject(error) : resolve(value)));
  });
}
