/**
 * Reads the one entry of a data.binance.vision zip for the replay server, walking from the first
 * local file header (the client's reader walks the central directory from the end instead): the
 * replay must not share decoding code with the client it tests, so that a bug in one is caught
 * by the other. It takes the sizes from the local header, or, when bit 3 defers them to a data
 * descriptor, from the central directory entry that follows the data.
 *
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3.7, 4.3.9, 4.3.12)
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { BadInputError } from '../core/errors.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;

/** The uncompressed bytes of the first entry of `zip`; `what` names the zip in errors. */
export function readFirstZipEntry(zip: Buffer, what: string): Buffer {
  if (zip.length < 30 || zip.readUInt32LE(0) !== LOCAL) throw new BadInputError(`${what}: not a zip (no local file header at offset 0)`);
  const flags = zip.readUInt16LE(6);
  const method = zip.readUInt16LE(8);
  let crc = zip.readUInt32LE(14);
  let packedSize = zip.readUInt32LE(18);
  let size = zip.readUInt32LE(22);
  const dataAt = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  if ((flags & 0x08) !== 0) {
    // Sizes follow the data; the central directory repeats them.
    const at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), dataAt);
    if (at < 0 || zip.readUInt32LE(at) !== CENTRAL) throw new BadInputError(`${what}: sizes deferred and no central directory found`);
    crc = zip.readUInt32LE(at + 16);
    packedSize = zip.readUInt32LE(at + 20);
    size = zip.readUInt32LE(at + 24);
  }
  if (dataAt + packedSize > zip.length) throw new BadInputError(`${what}: entry data runs past the end of the zip`);
  const packed = zip.subarray(dataAt, dataAt + packedSize);
  let data: Buffer;
  if (method === 0) data = Buffer.from(packed);
  else if (method === 8) data = inflateRawSync(packed);
  else throw new BadInputError(`${what}: compression method ${method} is not stored (0) or deflate (8)`);
  if (data.length !== size || crc32(data) >>> 0 !== crc) throw new BadInputError(`${what}: entry size or CRC-32 does not match its header`);
  return data;
}
