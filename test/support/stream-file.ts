import { chownSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { TestFileServer } from '../sources/file-server';
import { makeServerDir } from './fixtures';
import { ensureTestUser } from './unix-user';

/** Writes `lines` (LF-ended) to a file streaming, a block at a time, so a file of millions of rows is never whole in memory; answers its size. */
export async function writeLinesToFile(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let block: string[] = [];
  let blockChars = 0;
  const flush = async () => {
    if (!out.write(block.join(''))) await once(out, 'drain');
    block = [];
    blockChars = 0;
  };
  for (const line of lines) {
    block.push(line, '\n');
    blockChars += line.length + 1;
    if (blockChars >= 1 << 16) await flush();
  }
  if (block.length) await flush();
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}

/** The same into `dir` below the server's root, owned by the login user; answers the local path and the size. */
export async function streamServerFile(server: TestFileServer, dir: string, name: string, lines: Iterable<string>): Promise<{ path: string; bytes: number }> {
  const path = join(makeServerDir(server, dir), name);
  const bytes = await writeLinesToFile(path, lines);
  const user = ensureTestUser();
  chownSync(path, user.uid, user.gid);
  return { path, bytes };
}
