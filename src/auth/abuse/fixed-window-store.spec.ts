import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { FixedWindowStore } from './fixed-window-store.js';

const MINUTE = 60_000;

function storeAt() {
  const clock = new ManualClock();
  const store = new FixedWindowStore(clock);
  const hit = async (key = 'ip-1', limit = 3, blockDuration = MINUTE) => store.increment(key, MINUTE, limit, blockDuration, 'login');
  const advance = (ms: number) => clock.advance(ms / 1000);
  return { store, hit, advance };
}

describe('FixedWindowStore', () => {
  it('counts hits in a window and blocks the one past the limit, for the block duration', async () => {
    const { hit, advance } = storeAt();
    expect((await hit()).isBlocked).toBe(false);
    advance(10_000);
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false, timeToExpire: 50 });
    expect((await hit()).isBlocked).toBe(false);
    advance(5_000);
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 60 });
    // Blocked requests are not counted, and the block runs from when it began, past the window's end.
    advance(50_000);
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 10 });
    advance(10_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('starts a new window once the old one is over', async () => {
    const { hit, advance } = storeAt();
    for (let i = 0; i < 3; i++) await hit();
    advance(MINUTE);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('keeps keys apart', async () => {
    const { hit } = storeAt();
    for (let i = 0; i < 4; i++) await hit('ip-1');
    expect((await hit('ip-1')).isBlocked).toBe(true);
    expect(await hit('ip-2')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts a million hits of one key in one window under a higher limit, without blocking', async () => {
    const { store, hit } = storeAt();
    let last;
    for (let i = 0; i < 1_000_000; i++) last = await hit('ip-1', 2_000_000);
    expect(last).toMatchObject({ totalHits: 1_000_000, isBlocked: false });
    expect(store.size).toBe(1);
  });

  it('forgets keys whose window and block are over', async () => {
    const { store, hit, advance } = storeAt();
    await hit('ip-1');
    for (let i = 0; i < 4; i++) await hit('ip-2');
    advance(MINUTE);
    await hit('ip-3'); // the sweep runs once per window length, on a hit
    expect(store.size).toBe(1);
  });
});
