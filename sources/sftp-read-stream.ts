import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import type { ConnectionError } from '../domain/connection-errors';
import type { SftpRequests } from './sftp-requests';

const CHUNK_BYTES = 64 * 1024;
const READS_IN_FLIGHT = 16;

/**
 * A stream of an open file's bytes from byte `from` on that keeps several reads in flight, as ssh2's fastGet does.
 * ssh2's own createReadStream waits for each read before sending the next, which is several times slower.
 * Closes the handle at the end, on error and when the consumer destroys the stream.
 */
export function openSftpRead(sftp: SFTPWrapper, requests: SftpRequests, handle: Buffer, from: number, mapError: (error: unknown) => ConnectionError): Readable {
  return Readable.from(readChunks(sftp, requests, handle, from, mapError), { objectMode: false, highWaterMark: CHUNK_BYTES });
}

async function* readChunks(sftp: SFTPWrapper, requests: SftpRequests, handle: Buffer, from: number, mapError: (error: unknown) => ConnectionError): AsyncGenerator<Buffer> {
  const inFlight: Promise<Buffer>[] = [];
  let nextPosition = from;
  const requestNextChunk = () => {
    const chunk = readChunkAt(sftp, handle, nextPosition);
    // Chunks are awaited in order below; this only keeps a later chunk's failure from counting as unhandled meanwhile.
    chunk.catch(() => undefined);
    inFlight.push(chunk);
    nextPosition += CHUNK_BYTES;
  };

  try {
    for (let i = 0; i < READS_IN_FLIGHT; i++) requestNextChunk();
    while (inFlight.length > 0) {
      const chunk = await inFlight.shift()!;
      if (chunk.length > 0) yield chunk;
      if (chunk.length < CHUNK_BYTES) return;
      requestNextChunk();
    }
  } catch (error) {
    throw mapError(error);
  } finally {
    await requests.close(handle).catch(() => undefined);
  }
}

/** Reads one chunk, repeating short reads; a chunk shorter than asked means the file ends in it. */
async function readChunkAt(sftp: SFTPWrapper, handle: Buffer, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  while (filled < CHUNK_BYTES) {
    const bytesRead = await readInto(sftp, handle, buffer, filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** ssh2 reports end of file as 0 bytes read. */
function readInto(sftp: SFTPWrapper, handle: Buffer, buffer: Buffer, offset: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    sftp.read(handle, buffer, offset, buffer.length - offset, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}
