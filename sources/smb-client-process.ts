import { spawn } from 'node:child_process';
import { Readable, type Writable } from 'node:stream';

/** How one smbclient run ended. */
export interface SmbclientExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What smbclient printed; it runs with `-E`, so messages and listings come here and stdout carries only file bytes. */
  messages: string;
  /** Bytes written to stdout (the file, for `get … -`). */
  outputBytes: number;
  /** Killed by the watchdog after `timeoutMs` without progress. */
  timedOut: boolean;
  timeoutMs: number;
  /** Set when smbclient could not be started (e.g. not installed). */
  error?: Error;
}

export interface SmbclientOptions {
  timeoutMs: number;
  /** smbclient's HOME: a private directory, so whatever it may read or write there is the session's own. */
  home: string;
  /** Fed to stdin (`put - …`). */
  input?: Buffer;
  /** Receives stdout, the file bytes of `get … -`; it is not ended here. Without it, stray stdout is discarded. */
  output?: Writable;
}

export interface SmbclientProcess {
  /** Settles (never rejects) once the process has exited and its output is read. */
  readonly finished: Promise<SmbclientExit>;
  kill(): void;
}

const INPUT_CHUNK_BYTES = 64 * 1024;

export function succeeded(exit: SmbclientExit): boolean {
  return exit.code === 0 && !exit.timedOut && exit.error === undefined;
}

/**
 * The whole environment smbclient gets: it must not see the worker's (SECRETS_KEY,
 * DATABASE_URL, ADMIN_API_KEY, …). TZ=UTC makes listed times UTC; LC_ALL=C keeps its
 * messages in the English the status parsing reads.
 */
function smbclientEnvironment(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC', LC_ALL: 'C' };
}

/**
 * Starts `smbclient` with an argument array (never a shell) and smbclientEnvironment.
 *
 * A watchdog kills it after `timeoutMs` without progress: smbclient's own `-t` does not bound
 * a server that accepts the connection and never answers. Progress is any output or any input
 * accepted, and the watchdog rests while `output` holds back (backpressure), so a long
 * download is bounded by silence, not by its length or by a slow consumer.
 */
export function startSmbclient(args: string[], options: SmbclientOptions): SmbclientProcess {
  const { timeoutMs, input, output } = options;
  const child = spawn('smbclient', args, { stdio: ['pipe', 'pipe', 'pipe'], env: smbclientEnvironment(options.home) });

  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let heldBack = false;
  const rest = () => clearTimeout(timer);
  const arm = () => {
    rest();
    if (heldBack) return;
    timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
  };
  arm();

  const messageChunks: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    messageChunks.push(chunk);
    arm();
  });
  if (output) child.stdout.pipe(output, { end: false });
  else child.stdout.resume();
  let outputBytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    outputBytes += chunk.length;
    arm();
  });
  child.stdout.on('pause', () => {
    heldBack = true;
    rest();
  });
  child.stdout.on('resume', () => {
    heldBack = false;
    arm();
  });

  // EPIPE when smbclient gives up before reading all input; its exit status says why.
  child.stdin.on('error', () => undefined);
  if (input) {
    const source = Readable.from(chunksOf(input, INPUT_CHUNK_BYTES));
    source.on('data', arm);
    source.pipe(child.stdin);
  } else {
    child.stdin.end();
  }

  const finished = new Promise<SmbclientExit>((resolve) => {
    const settle = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      rest();
      resolve({ code, signal, messages: Buffer.concat(messageChunks).toString('utf8'), outputBytes, timedOut, timeoutMs, error });
    };
    child.once('error', (error) => settle(null, null, error));
    child.once('close', (code, signal) => settle(code, signal));
  });

  return {
    finished,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function* chunksOf(content: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < content.length; offset += size) yield content.subarray(offset, offset + size);
}

/** Runs one command to its end. */
export function runSmbclient(args: string[], options: SmbclientOptions): Promise<SmbclientExit> {
  return startSmbclient(args, options).finished;
}
