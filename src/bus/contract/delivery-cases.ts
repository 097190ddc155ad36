/** Contract cases: ordering per subject, wildcard matching, several subscribers, unsubscribe, subject checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus } from '../bus.js';
import type { BusTraits } from '../bus.contract.js';
import type { MarketEvent } from '../../core/market-events.js';
import { ids, take, trade, withBus } from './bus-helpers.js';

export function registerDeliveryCases(name: string, makeBus: () => Promise<Bus<MarketEvent>>, traits: BusTraits): void {
  test(`${name} bus - declares its delivery semantics`, () =>
    withBus(makeBus, async (bus) => {
      assert.equal(bus.delivery, traits.delivery);
    }));

  test(`${name} bus - one subject: every event delivered once, in publish order, with its subject and data unchanged`, () =>
    withBus(makeBus, async (bus) => {
      const sub = bus.subscribe('md.trade.binance.BTCUSDT');
      const sent = Array.from({ length: 500 }, (_, i) => trade('BTCUSDT', i));
      for (const t of sent) await bus.publish('md.trade.binance.BTCUSDT', t);
      const got = await take(sub, 500);
      assert.deepEqual(ids(got), sent.map((t) => t.tradeId));
      assert.deepEqual(got[499], { subject: 'md.trade.binance.BTCUSDT', data: sent[499] });
    }));

  test(`${name} bus - wildcards: '*' matches exactly one token, a final '>' one or more, and order holds per subject`, () =>
    withBus(makeBus, async (bus) => {
      const star = bus.subscribe('md.trade.*.BTCUSDT');
      const tail = bus.subscribe('md.trade.>');
      const exact = bus.subscribe('md.trade.binance.ETHUSDT');
      const all = bus.subscribe('>');
      const subjects = ['md.trade.binance.BTCUSDT', 'md.trade.binance.ETHUSDT', 'md.trade.gemini.BTCUSDT', 'md.book_delta.binance.BTCUSDT', 'md.trade.binance.BTCUSDT.extra'];
      let n = 0;
      for (let round = 0; round < 3; round++) for (const s of subjects) await bus.publish(s, trade(s.split('.')[3] ?? 'X', n++));
      const starGot = await take(star, 6);
      assert.deepEqual(starGot.map((m) => m.subject), ['md.trade.binance.BTCUSDT', 'md.trade.gemini.BTCUSDT', 'md.trade.binance.BTCUSDT', 'md.trade.gemini.BTCUSDT', 'md.trade.binance.BTCUSDT', 'md.trade.gemini.BTCUSDT']);
      assert.deepEqual(ids(starGot), ['0', '2', '5', '7', '10', '12']);
      const tailGot = await take(tail, 12);
      assert.deepEqual(ids(tailGot), ['0', '1', '2', '4', '5', '6', '7', '9', '10', '11', '12', '14']);
      assert.deepEqual(ids(await take(exact, 3)), ['1', '6', '11']);
      assert.deepEqual(ids(await take(all, 15)), Array.from({ length: 15 }, (_, i) => String(i)));
      // Nothing more is pending for the narrow subscriptions: the next event they see is the marker.
      await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 99));
      assert.deepEqual(ids(await take(star, 1)), ['99']);
      assert.deepEqual(ids(await take(tail, 1)), ['99']);
    }));

  test(`${name} bus - a subject is refused naming the bad token; so is a pattern with '>' not last`, () =>
    withBus(makeBus, async (bus) => {
      await assert.rejects(bus.publish('md.trade.binance.BTC USDT', trade('BTC USDT', 0)), /bus subject "md\.trade\.binance\.BTC USDT": token 4 "BTC USDT"/);
      await assert.rejects(bus.publish('md.trade.*.BTCUSDT', trade('BTCUSDT', 0)), /token 3 "\*"/);
      await assert.rejects(bus.publish('md..binance', trade('BTCUSDT', 0)), /token 2 ""/);
      assert.throws(() => bus.subscribe('md.>.BTCUSDT'), /bus pattern "md\.>\.BTCUSDT": token 2 ">"/);
    }));

  test(`${name} bus - several subscribers to one subject each get every event; one unsubscribing leaves the others`, () =>
    withBus(makeBus, async (bus) => {
      const a = bus.subscribe('md.trade.binance.BTCUSDT');
      const b = bus.subscribe('md.trade.binance.BTCUSDT');
      for (let i = 0; i < 10; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      assert.deepEqual(ids(await take(a, 10)), ids(await take(b, 10)));
      await a.unsubscribe();
      await a.unsubscribe();
      for (let i = 10; i < 15; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      assert.deepEqual(await take(a, 1), [], 'an unsubscribed subscription ends');
      assert.deepEqual(ids(await take(b, 5)), ['10', '11', '12', '13', '14']);
    }));

  test(`${name} bus - unsubscribe still yields what was buffered, then ends; a for-await break unsubscribes`, () =>
    withBus(makeBus, async (bus) => {
      const a = bus.subscribe('md.trade.>');
      for (let i = 0; i < 3; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      await a.unsubscribe();
      await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 3));
      const got: string[] = [];
      for await (const m of a) got.push(m.data.kind === 'trade' ? m.data.tradeId : '?');
      assert.deepEqual(got, ['0', '1', '2']);

      const b = bus.subscribe('md.trade.>');
      for (let i = 0; i < 5; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      let seen = 0;
      for await (const m of b) {
        seen++;
        if (m.data.kind === 'trade' && m.data.tradeId === '1') break;
      }
      assert.equal(seen, 2);
      const c = bus.subscribe('md.trade.>');
      await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 7));
      assert.deepEqual(ids(await take(c, 1)), ['7'], 'the bus keeps working for others after a break');
    }));

  test(`${name} bus - a subscription sees only events published after it subscribed`, () =>
    withBus(makeBus, async (bus) => {
      await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 0));
      const late = bus.subscribe('md.trade.binance.BTCUSDT');
      await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 1));
      assert.deepEqual(ids(await take(late, 1)), ['1']);
    }));
}
