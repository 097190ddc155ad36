/**
 * Child process for the delivery crash test: opens the store and builds delivery the way `up`
 * does (`setupDelivery`: real store, grammY against the replay server's Telegram endpoint, the
 * test-only pause from TICKERFLOW_TEST_PAUSE_BEFORE_SEND), drains the outbox and exits. With the
 * pause set, the parent SIGKILLs it at the marker: after the firing is read, before it is sent.
 * `clock offset` (ms, default 0) runs its clock ahead: a restart after the killed child's claim
 * lease has lapsed, without waiting it out.
 * Usage: node --import tsx delivery-child.ts <db> <telegram api root> [clock offset]
 */
import { openStore } from '../../src/store/open-store.js';
import { configSchema } from '../../src/core/config.js';
import { createLogger } from '../../src/cli/logger.js';
import { setupDelivery } from '../../src/cli/delivery-setup.js';

const [db, apiRoot, offset = '0'] = process.argv.slice(2);
if (!db || !apiRoot) throw new Error('usage: delivery-child.ts <db> <telegram api root>');
const store = await openStore(db);
const delivery = setupDelivery(store, configSchema.parse({}), { coingeckoApiKey: undefined, telegramBotToken: undefined, webhookKey: undefined }, createLogger('warn'), { replayTelegramUrl: apiRoot, now: () => Date.now() + Number(offset) });
for (;;) {
  const started = await delivery.worker.pollOnce();
  await delivery.worker.idle();
  if (started === 0) break;
}
await store.close();
process.stdout.write('drained\n');
