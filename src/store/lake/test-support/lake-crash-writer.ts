/**
 * Child process for the lake's crash test: writes recorded capture events into the lake forever,
 * with small buffers so files are published often, until the parent kills it with SIGKILL.
 * Prints `published <first> <last> <rows> <path>` after each file is durable, and with a pause
 * index `p` ≥ 0 prints `paused <path>` when the p-th file is written under its temp name and
 * waits there (the kill then lands between write and rename).
 * Usage: node --import tsx lake-crash-writer.ts <root> <pause index or -1>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LakeWriter } from '../lake-writer.js';
import { mergedCapture } from './capture-events.js';

const [root, pauseArg] = process.argv.slice(2);
if (!root || pauseArg === undefined) throw new Error('usage: lake-crash-writer.ts <root> <pause index or -1>');
const pauseAt = Number(pauseArg);
let renames = 0;
const writer = await LakeWriter.open(root, {
  maxBufferedEvents: 250,
  onPublish: (f) => process.stdout.write(`published ${f.first} ${f.last} ${f.rows} ${f.path}\n`),
  beforeRename: async (temp) => {
    if (renames++ === pauseAt) {
      process.stdout.write(`paused ${temp}\n`);
      await sleep(60_000);
    }
  },
});
process.stdout.write(`opened ${writer.lastSequence}\n`);
const events = mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 1500);
for (;;) for (const e of events) await writer.write(e);
