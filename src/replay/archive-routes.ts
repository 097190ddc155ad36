/**
 * The Binance public archive on the simulated clock: objects under `/vision/data/…` (as
 * `https://data.binance.vision/data/…`) and the bucket's S3 ListObjects v1 listing under `/s3`
 * (as `https://s3-ap-northeast-1.amazonaws.com/data.binance.vision`). An object not yet
 * published at the simulated now does not exist: 404 and absent from listings.
 *
 * @see https://github.com/binance/binance-public-data
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SimClock } from './sim-clock.js';
import { createReadStream } from 'node:fs';
import type { ArchiveObject, ArchiveObjects } from './archive-catalog.js';
import { listObjectsV1, MAX_KEYS } from './s3-list.js';

export const BUCKET = 'data.binance.vision';

function s3Error(reply: FastifyReply, status: number, code: string, message: string, extra = ''): FastifyReply {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`;
  return reply.code(status).type('application/xml').send(body);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Merges key-sorted lists into one key-sorted list (the catalogs' keys never clash). */
function mergeByKey(lists: readonly (readonly ArchiveObject[])[]): readonly ArchiveObject[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const at = nonEmpty.map(() => 0);
  const out: ArchiveObject[] = [];
  for (;;) {
    let best = -1;
    for (let l = 0; l < nonEmpty.length; l++) {
      const o = (nonEmpty[l] as readonly ArchiveObject[])[at[l] as number];
      if (o !== undefined && (best < 0 || o.key < ((nonEmpty[best] as readonly ArchiveObject[])[at[best] as number] as ArchiveObject).key)) best = l;
    }
    if (best < 0) return out;
    out.push((nonEmpty[best] as readonly ArchiveObject[])[at[best] as number] as ArchiveObject);
    at[best] = (at[best] as number) + 1;
  }
}

/** Registers `/vision/*` and `/s3` over `catalogs` (the recorded one first). */
export function archiveRoutes(clock: SimClock, catalogs: readonly ArchiveObjects[]) {
  const find = (key: string, now: number): ArchiveObject | undefined => {
    for (const c of catalogs) {
      const o = c.get(key, now);
      if (o) return o;
    }
    return undefined;
  };
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/vision/*', async (req, reply) => {
      const key = (req.params as Record<string, string | undefined>)['*'] ?? '';
      const o = find(key, clock.now());
      if (!o) return s3Error(reply, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${key.replace(/[<>&]/g, '')}</Key>`);
      return reply
        .type(key.endsWith('.zip') ? 'application/zip' : 'application/octet-stream')
        .header('Last-Modified', new Date(o.publishedAt).toUTCString())
        .header('ETag', o.etag)
        .header('Content-Length', String(o.size))
        .send(Buffer.isBuffer(o.body) ? o.body : createReadStream(o.body.path));
    });

    const list = async (req: { query: unknown }, reply: FastifyReply): Promise<FastifyReply> => {
      const q = (req.query ?? {}) as Record<string, unknown>;
      const rawMax = q['max-keys'];
      let maxKeys = MAX_KEYS;
      if (rawMax !== undefined) {
        if (typeof rawMax !== 'string' || !/^[0-9]{1,9}$/.test(rawMax)) {
          return s3Error(reply, 400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
        }
        maxKeys = Math.min(MAX_KEYS, Number(rawMax));
      }
      const objects = mergeByKey(catalogs.map((c) => c.published(clock.now()))).map((o) => ({ key: o.key, size: o.size, etag: o.etag, lastModified: o.publishedAt }));
      const xml = listObjectsV1(objects, {
        bucket: BUCKET,
        prefix: str(q.prefix),
        delimiter: str(q.delimiter),
        marker: str(q.marker),
        maxKeys,
      });
      return reply.type('application/xml').send(xml);
    };
    app.get('/s3', list);
    app.get(`/s3/${BUCKET}`, list);
  };
}
