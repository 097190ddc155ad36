/** Contract cases: slow consumers (bounded buffers, both overflow policies) and close. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus } from '../bus.js';
import type { BusTraits } from '../bus.contract.js';
import type { MarketEvent } from '../../core/market-events.js';
import { ids, settlesWithin, take, trade, withBus } from './bus-helpers.js';

const S = 'md.trade.binance.BTCUSDT';

export function registerFlowCases(name: string, makeBus: () => Promise<Bus<MarketEvent>>, traits: BusTraits): void {
  test(`${name} bus - slow consumer with 'wait': nothing is lost or reordered${traits.publishWaitsOnFullBuffer ? ', and a publish to a full buffer waits for the reader' : ''}`, () =>
    withBus(makeBus, async (bus) => {
      const slow = bus.subscribe(S, { capacity: 4 });
      const fast = bus.subscribe(S, { capacity: 1000 });
      for (let i = 0; i < 4; i++) await bus.publish(S, trade('BTCUSDT', i));
      const fifth = bus.publish(S, trade('BTCUSDT', 4));
      if (traits.publishWaitsOnFullBuffer) {
        assert.equal(await settlesWithin(fifth, 50), false, 'the 5th publish waits while the slow buffer holds 4');
        assert.deepEqual(ids(await take(fast, 5)), ['0', '1', '2', '3', '4'], 'the fast subscriber already has it');
        assert.deepEqual(ids(await take(slow, 1)), ['0']);
        assert.equal(await settlesWithin(fifth, 1000), true, 'reading one frees room for it');
      } else {
        await fifth;
        assert.deepEqual(ids(await take(fast, 5)), ['0', '1', '2', '3', '4']);
        assert.deepEqual(ids(await take(slow, 1)), ['0']);
      }
      const rest = (async () => {
        for (let i = 5; i < 40; i++) await bus.publish(S, trade('BTCUSDT', i));
      })();
      const got = await take(slow, 39);
      await rest;
      assert.deepEqual(ids(got), Array.from({ length: 39 }, (_, i) => String(i + 1)));
      assert.equal(slow.dropped, 0);
    }));

  test(`${name} bus - slow consumer with 'drop-oldest': publish never waits, the newest events are kept in order, drops are counted`, () =>
    withBus(makeBus, async (bus) => {
      const latest = bus.subscribe(S, { capacity: 3, overflow: 'drop-oldest' });
      for (let i = 0; i < 10; i++) assert.equal(await settlesWithin(bus.publish(S, trade('BTCUSDT', i)), 1000), true);
      const got = await take(latest, 3);
      assert.deepEqual(ids(got), ['7', '8', '9']);
      assert.equal(latest.dropped, 7, 'delivered + dropped = published');
    }));

  test(`${name} bus - a bad capacity is refused naming it`, () =>
    withBus(makeBus, async (bus) => {
      assert.throws(() => bus.subscribe(S, { capacity: 0 }), /capacity must be a positive integer, not 0/);
    }));

  test(`${name} bus - close: readers get what was buffered then end, waiting publishers are released, later publishes are refused`, () =>
    withBus(makeBus, async (bus) => {
      const a = bus.subscribe(S, { capacity: 2 });
      const idle = bus.subscribe('md.book_delta.>');
      await bus.publish(S, trade('BTCUSDT', 0));
      await bus.publish(S, trade('BTCUSDT', 1));
      const blocked = bus.publish(S, trade('BTCUSDT', 2));
      const idleRead = idle[Symbol.asyncIterator]().next();
      await bus.close();
      await bus.close();
      assert.equal(await settlesWithin(blocked, 1000), true);
      assert.deepEqual(await idleRead, { value: undefined, done: true }, 'a reader waiting on an empty buffer ends');
      const got: string[] = [];
      for await (const m of a) got.push(m.data.kind === 'trade' ? m.data.tradeId : '?');
      assert.deepEqual(got.slice(0, 2), ['0', '1']);
      await assert.rejects(bus.publish(S, trade('BTCUSDT', 3)), /bus is closed/);
      assert.throws(() => bus.subscribe(S), /bus is closed/);
    }));
}
