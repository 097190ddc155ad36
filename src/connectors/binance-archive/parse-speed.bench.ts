/**
 * Micro-benchmark for the archive hot path (not a test): zip extraction (hand reader vs yauzl)
 * and kline CSV parsing (byte parser vs a split-per-line baseline), on the real fixtures.
 * Run: node --import tsx src/connectors/binance-archive/parse-speed.bench.ts
 */
import yauzl from 'yauzl';
import { extractSingleCsv } from './zip.js';
import { parseKlineCsv } from './kline-csv.js';
import { KEYS, LINK_CSV, readFixture } from './test-fixtures.js';
import { decodeArchiveFile } from './load-archive-file.js';
import { parseChecksum } from './checksum.js';

function yauzlExtract(zip: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err) return reject(err);
      file.readEntry();
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e2, stream) => {
          if (e2) return reject(e2);
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('end', () => resolve(Buffer.concat(parts)));
          stream.on('error', reject);
        });
      });
      file.on('error', reject);
    });
  });
}

/** The obvious string version, to show what the byte parser saves. */
function splitParse(csv: Buffer): number {
  let sum = 0;
  for (const line of csv.toString('latin1').split('\n')) {
    if (!/^\d/.test(line)) continue;
    const cells = line.split(',').map(Number);
    sum += cells[4] ?? 0;
  }
  return sum;
}

async function time(label: string, rowsPerIter: number, fn: () => unknown): Promise<void> {
  for (let i = 0; i < 5; i++) await fn();
  let iters = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1500) {
    await fn();
    iters++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const per = elapsed / iters;
  console.log(`${label.padEnd(46)} ${per.toFixed(3).padStart(8)} ms/iter  ${Math.round((rowsPerIter * 1000) / per).toLocaleString('en-US').padStart(12)} rows/s`);
}

const zip = readFixture(KEYS.spot2020);
const csv = extractSingleCsv(zip, KEYS.spot2020);
const link = readFixture(LINK_CSV);
const opts = { key: LINK_CSV, interval: '1m', market: 'um' } as const;
const spotOpts = { key: KEYS.spot2020, interval: '1m', market: 'spot' } as const;

await time('zip: extractSingleCsv (1440-row zip)', 1440, () => extractSingleCsv(zip, KEYS.spot2020));
await time('zip: yauzl fromBuffer + stream (1440-row zip)', 1440, () => yauzlExtract(zip));
await time('csv: parseKlineCsv (1440 rows)', 1440, () => parseKlineCsv(csv, spotOpts));
await time('csv: split+Number baseline (1440 rows)', 1440, () => splitParse(csv));
await time('zip→columns: extract + parse (1440-row zip)', 1440, () => parseKlineCsv(extractSingleCsv(zip, KEYS.spot2020), spotOpts));
const sum = parseChecksum(readFixture(`${KEYS.spot2020}.CHECKSUM`), 'c');
const obj = { body: zip, lastModified: null, size: zip.length };
await time('file: sha256 + extract + parse (1440-row zip)', 1440, () => decodeArchiveFile(obj, sum, KEYS.spot2020, '1m', 'spot', 0));
await time('csv: parseKlineCsv LINKUSDT (40,320 rows)', 40320, () => parseKlineCsv(link, opts));
await time('csv: split+Number baseline LINKUSDT (40,320 rows)', 40320, () => splitParse(link));
