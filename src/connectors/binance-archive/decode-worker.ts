/**
 * The worker thread of `ArchiveDecodePool`: `decodeArchiveFile` on each zip it is sent, parsed
 * into column buffers the main thread gave back when a request brings some, the candle columns
 * sent back transferred (no copy), an error sent back as its class name and fields so the pool
 * can throw the same class.
 */
import { parentPort } from 'node:worker_threads';
import { BadArchiveError, ChecksumMismatchError } from '../../core/errors.js';
import { columnArrayBuffers } from '../../core/candle.js';
import { ColumnBuffers } from './column-buffers.js';
import { decodeArchiveFile } from './load-archive-file.js';
import type { DecodeReply, DecodeRequest } from './decode-messages.js';

const port = parentPort;
if (port === null) throw new Error('decode-worker runs as a worker thread of ArchiveDecodePool');
const columnBuffers = new ColumnBuffers();

port.on('message', (req: DecodeRequest) => {
  let reply: DecodeReply;
  if (req.reuse !== undefined) columnBuffers.give(req.reuse);
  try {
    // Structured clone delivers a plain Uint8Array; the checksum and zip code read a Buffer.
    const body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    const out = decodeArchiveFile({ body, lastModified: req.lastModified, size: body.length }, req.checksum, req.key, req.interval, req.market, req.ingestedAt, (rows) => columnBuffers.allocate(rows));
    reply = { id: req.id, ok: true, candles: out.candles, manifest: out.manifest };
    port.postMessage(reply, columnArrayBuffers(out.candles));
    return;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = {
      id: req.id,
      ok: false,
      error: {
        name: e instanceof BadArchiveError ? 'BadArchiveError' : e instanceof ChecksumMismatchError ? 'ChecksumMismatchError' : 'Error',
        message: e.message,
        stack: e.stack,
        row: e instanceof BadArchiveError ? e.row : undefined,
      },
    };
  }
  port.postMessage(reply);
});
