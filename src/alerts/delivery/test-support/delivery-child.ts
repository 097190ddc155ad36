/**
 * Child process for the delivery crash test: opens the store, builds delivery as a process would
 * (real store, grammY against the given API root) and drains the outbox, then exits. With a pause,
 * it prints `paused before send <outbox id>` before calling the channel and waits, so the parent
 * can SIGKILL it between "the firing is stored" and "it is sent".
 * Usage: node --import tsx delivery-child.ts <db> <telegram api root> <pause ms>  (token in TELEGRAM_BOT_TOKEN)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../../store/open-store.js';
import { createDelivery } from '../create-delivery.js';

const [db, apiRoot, pause] = process.argv.slice(2);
const token = process.env.TELEGRAM_BOT_TOKEN;
if (!db || !apiRoot || pause === undefined || !token) throw new Error('usage: delivery-child.ts <db> <api root> <pause ms> with TELEGRAM_BOT_TOKEN set');
const pauseMs = Number(pause);
const store = await openStore(db);
const delivery = createDelivery({
  store,
  telegram: { token, apiRoot },
  worker: {
    ...(pauseMs > 0
      ? {
          beforeDeliver: async (item) => {
            process.stdout.write(`paused before send ${item.id}\n`);
            await sleep(pauseMs);
          },
        }
      : {}),
  },
});
for (;;) {
  const started = await delivery.worker.pollOnce();
  await delivery.worker.idle();
  if (started === 0) break;
}
await store.close();
process.stdout.write('drained\n');
