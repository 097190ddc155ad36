import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './logger.js';
import { runExclusiveRole, type RoleLock } from './exclusive-role.js';

/** One lock held by at most one of its sessions, like an advisory lock on one database. */
class SharedLock {
  holder: Session | null = null;
}

class Session implements RoleLock {
  #lost = new AbortController();
  /** The database is unreachable from this session (tries fail, as pg's connect does). */
  down = false;
  constructor(private readonly shared: SharedLock) {}
  get lost(): AbortSignal {
    return this.#lost.signal;
  }
  async tryAcquire(): Promise<boolean> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (this.shared.holder !== null && this.shared.holder !== this) return false;
    if (this.shared.holder !== this) this.#lost = new AbortController();
    this.shared.holder = this;
    return true;
  }
  async check(): Promise<boolean> {
    return this.shared.holder === this;
  }
  async release(): Promise<void> {
    if (this.shared.holder === this) this.shared.holder = null;
  }
  /** The connection closed under the holder (the server freed the lock), and stays unreachable. */
  drop(): void {
    this.down = true;
    if (this.shared.holder === this) this.shared.holder = null;
    this.#lost.abort();
  }
}

const until = async (what: string, ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok(), `timed out waiting for ${what}`);
};

test('exclusive role - one of two processes works at a time; a lost lock stops its work and the other takes over; stopping releases', async () => {
  const shared = new SharedLock();
  const sessions = [new Session(shared), new Session(shared)] as const;
  const stops = [new AbortController(), new AbortController()];
  const working = [0, 0];
  let most = 0;
  const log: string[] = [];
  const runs = sessions.map((lock, i) =>
    runExclusiveRole(
      lock,
      async (signal) => {
        working[i]!++;
        most = Math.max(most, (working[0] ?? 0) + (working[1] ?? 0));
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        working[i]!--;
      },
      { label: 'test role', signal: stops[i]!.signal, retryMs: 10, logger: createLogger('silent'), onChange: (h) => log.push(`${i}:${h ? 'on' : 'off'}`) },
    ),
  );
  await until('a holder', () => shared.holder !== null);
  const first = sessions.indexOf(shared.holder as Session);
  const other = 1 - first;
  await new Promise((r) => setTimeout(r, 60)); // the standby tries several times meanwhile
  assert.deepEqual(log, [`${first}:on`], 'only the holder started');
  sessions[first]!.drop();
  await until('the takeover', () => shared.holder === sessions[other]);
  await until('the standby working', () => working[other] === 1);
  assert.equal(working[first], 0, 'the process that lost the lock stopped its work');
  sessions[first]!.down = false;
  stops[other]!.abort();
  await runs[other];
  assert.equal(shared.holder === sessions[other], false, 'a stopped holder released the lock');
  await until('the first process back', () => working[first] === 1);
  stops[first]!.abort();
  await Promise.all(runs);
  assert.equal(most, 1, 'never two at once');
  assert.deepEqual(log, [`${first}:on`, `${first}:off`, `${other}:on`, `${other}:off`, `${first}:on`, `${first}:off`]);
  assert.equal(shared.holder, null);
});

test('exclusive role - stillHeld asks the lock: a loss no event reported stops the work before its next write', async () => {
  const shared = new SharedLock();
  const lock = new Session(shared);
  const stop = new AbortController();
  const answers: boolean[] = [];
  let roleAborted = false;
  const run = runExclusiveRole(
    lock,
    async (signal, stillHeld) => {
      answers.push(await stillHeld());
      shared.holder = null; // the server ended the session; the client has not noticed
      answers.push(await stillHeld());
      roleAborted = signal.aborted;
      stop.abort();
    },
    { label: 'test role', signal: stop.signal, retryMs: 60_000, logger: createLogger('silent') },
  );
  await run;
  assert.deepEqual(answers, [true, false]);
  assert.equal(roleAborted, true, 'the role is stopped as soon as the loss is seen');
});

test('exclusive role - stopped while the lock is being taken: the work ends at once and the lock is released (it ran forever, holding it)', async () => {
  const shared = new SharedLock();
  const stop = new AbortController();
  const session = new Session(shared);
  const slow: RoleLock = {
    get lost() {
      return session.lost;
    },
    // The signal comes while the database answers the lock query.
    tryAcquire: async () => {
      stop.abort();
      return session.tryAcquire();
    },
    check: () => session.check(),
    release: () => session.release(),
  };
  let worked = false;
  const run = runExclusiveRole(slow, async (signal) => {
    worked = true;
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  }, { label: 'test role', signal: stop.signal, retryMs: 10, logger: createLogger('silent') });
  const ended = await Promise.race([run.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still running'), 2_000))]);
  assert.equal(ended, 'ended');
  assert.equal(worked, true);
  assert.equal(shared.holder, null, 'the lock was released');
});
