/** Small helpers shared by the alert and user contract cases. */
import { randomBytes } from 'node:crypto';
import type { NewFiring, User } from '../alert-records.js';
import type { Store } from '../store.js';

/** A user with a name no other case uses (cases may share one database). */
export function newUser(store: Store, role: User['role'] = 'user'): Promise<User> {
  return store.createUser(`u_${randomBytes(4).toString('hex')}`, role, 'Europe/Amsterdam', `scrypt$test$${randomBytes(4).toString('hex')}`, 1_700_000_000_000);
}

/** A firing of `ruleId` by `userId` on the 1h bar opening at `barOpenTime`, fired at its close. */
export function firing(ruleId: number, userId: number, barOpenTime: number, channels: string[], over: Partial<NewFiring> = {}): NewFiring {
  return {
    ruleId,
    userId,
    exchange: 'binance',
    symbol: 'BTCUSDT',
    interval: '1h',
    barOpenTime,
    firedAt: barOpenTime + 3_600_000,
    inputs: { close: 42_000.5, 'rsi:14': 28.75 },
    incomplete: false,
    message: `BTCUSDT rsi:14 < 30 at ${barOpenTime}`,
    channels,
    ...over,
  };
}
