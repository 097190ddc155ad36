/**
 * Child process for the replay kill -9 test: runs the live path (live-path.ts) over the recorded
 * events into a lake, with small buffers so files are published often. On start it continues
 * after the highest sequence on disk, leaving out `skip` further events (what a process that was
 * down missed). Prints `opened <highest seq on disk> <first index fed>`, `published <first>
 * <last>` after each durable file, and `done` at the end.
 * Usage: node --import tsx live-path-child.ts <lake root> <store file> <window ms> <skip>
 */
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { LakeWriter } from '../../store/lake/index.js';
import { recordedEvents, runLivePath } from './live-path.js';

const [lakeRoot, storePath, windowArg, skipArg] = process.argv.slice(2);
if (!lakeRoot || !storePath || !windowArg || !skipArg) throw new Error('usage: live-path-child.ts <lake root> <store file> <window ms> <skip>');
const events = recordedEvents();
const probe = await LakeWriter.open(lakeRoot);
const onDisk = probe.lastSequence;
await probe.close();
const start = onDisk === 0 ? 0 : onDisk + Number(skipArg);
process.stdout.write(`opened ${onDisk} ${start}\n`);
const store = await DuckDbStore.open(storePath);
await store.migrate();
await runLivePath(events.slice(start), {
  lakeRoot,
  store,
  windowMs: Number(windowArg),
  writer: { maxBufferedEvents: 1_000, onPublish: (f) => process.stdout.write(`published ${f.first} ${f.last}\n`) },
});
await store.close();
process.stdout.write('done\n');
