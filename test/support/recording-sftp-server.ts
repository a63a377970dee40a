import { createHash } from 'node:crypto';
import ssh2, { type AuthContext } from 'ssh2';

/** One authentication request as the server received it (after decryption). */
export interface AuthAttempt {
  method: string;
  username: string;
  /** The password, or the keyboard-interactive answers; absent for methods that carry none. */
  secrets: string[];
}

/**
 * An SSH server a test controls, standing in for a server an attacker controls: it records every
 * connection and every authentication request, including the passwords sent, and accepts none.
 */
export interface RecordingSftpServer {
  readonly host: string;
  readonly port: number;
  /** What to pin: its host key fingerprint, as `ssh-keygen -lf` prints it, and type. */
  readonly trust: { sha256: string; keyType: string };
  /** TCP connections accepted so far. */
  connections(): number;
  attempts(): AuthAttempt[];
  stop(): Promise<void>;
}

const ALL_METHODS: AuthContext['method'][] = ['password', 'keyboard-interactive', 'publickey'];

/** ssh2 cannot read back about one generated ed25519 public key in 300 ("Malformed OpenSSH public key"): such a key is made again. */
function generateHostKey(): { hostKey: ReturnType<typeof ssh2.utils.generateKeyPairSync>; parsed: ssh2.ParsedKey } {
  let failure: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = ssh2.utils.parseKey(hostKey.public);
    if (!(parsed instanceof Error) && !Array.isArray(parsed)) return { hostKey, parsed };
    failure = parsed;
  }
  throw new Error('could not read a generated host key back', { cause: failure });
}

/** Listens on `host` (a loopback address) and a free port. */
export async function startRecordingSftpServer(host = '127.0.0.1'): Promise<RecordingSftpServer> {
  const { hostKey, parsed } = generateHostKey();
  const fingerprint = 'SHA256:' + createHash('sha256').update(parsed.getPublicSSH()).digest('base64').replace(/=+$/, '');

  let connections = 0;
  const attempts: AuthAttempt[] = [];
  const clients = new Set<ssh2.Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    connections++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      const record = (secrets: string[]) => attempts.push({ method: ctx.method, username: ctx.username, secrets });
      if (ctx.method === 'password') {
        record([ctx.password]);
        ctx.reject(ALL_METHODS);
      } else if (ctx.method === 'keyboard-interactive') {
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          record(answers);
          ctx.reject(ALL_METHODS);
        });
      } else {
        record([]);
        ctx.reject(ALL_METHODS);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });

  return {
    host,
    port: (server.address() as { port: number }).port,
    trust: { sha256: fingerprint, keyType: 'ssh-ed25519' },
    connections: () => connections,
    attempts: () => [...attempts],
    async stop() {
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
