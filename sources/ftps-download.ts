import { Writable, type PassThrough } from 'node:stream';
import type { Client } from 'basic-ftp';

function readerGone(): Error {
  return new Error('the reader closed the stream before the download finished');
}

/**
 * Downloads `name` (from byte `from` on) into `out`, keeping backpressure. basic-ftp ends its destination even
 * when a transfer fails, so it gets a sink instead: `out` itself ends only after the server
 * confirmed the whole transfer, and a reader that closes `out` early aborts the transfer.
 */
export async function downloadInto(client: Client, name: string, out: PassThrough, from = 0): Promise<void> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (out.destroyed) return done(readerGone());
      if (out.write(chunk)) return done();
      const settle = (error?: Error) => {
        out.off('drain', onDrain);
        out.off('close', onClose);
        done(error);
      };
      const onDrain = () => settle();
      const onClose = () => settle(readerGone());
      out.once('drain', onDrain);
      out.once('close', onClose);
    },
  });
  // Failures reach us through downloadTo's rejection; this keeps a late 'error' event harmless.
  sink.on('error', () => {});
  const abortOnReaderClose = () => sink.destroy(readerGone());
  out.once('close', abortOnReaderClose);
  try {
    // from a later byte: basic-ftp sends REST before RETR
    await client.downloadTo(sink, name, from);
  } finally {
    out.off('close', abortOnReaderClose);
  }
}
