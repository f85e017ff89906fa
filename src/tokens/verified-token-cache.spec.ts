import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedTokenCache } from './verified-token-cache.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const seconds = (ms: number) => Math.floor(ms / 1000);

describe('VerifiedTokenCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a stored token until the second its exp is reached, then forgets it', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const cache = new VerifiedTokenCache<{ exp: number }>();
    cache.set('token-a', { exp: seconds(T0) + 60 });

    vi.setSystemTime(T0 + 59_999);
    expect(cache.get('token-a')).toEqual({ exp: seconds(T0) + 60 });
    vi.setSystemTime(T0 + 60_000);
    expect(cache.get('token-a')).toBeUndefined();
    vi.setSystemTime(T0);
    expect(cache.get('token-a')).toBeUndefined(); // gone, not merely hidden
  });

  it('matches only the identical string', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>();
    cache.set('header.payload.signature', { exp: seconds(Date.now()) + 60 });
    expect(cache.get('header.payload.signaturE')).toBeUndefined();
    expect(cache.get('header.payload.')).toBeUndefined();
    expect(cache.get('header.payload.signature')).toBeDefined();
  });

  it('evicts the oldest entry beyond its size', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>(2);
    const exp = seconds(Date.now()) + 60;
    cache.set('a', { exp });
    cache.set('b', { exp });
    cache.set('c', { exp });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('when full, makes room by dropping the oldest tenth at once', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>(100);
    const exp = seconds(Date.now()) + 60;
    for (let i = 0; i <= 100; i++) cache.set(`t${i}`, { exp });
    for (let i = 0; i < 10; i++) expect(cache.get(`t${i}`)).toBeUndefined();
    for (let i = 10; i <= 100; i++) expect(cache.get(`t${i}`)).toBeDefined();
  });

  it('keeps a verified token from its second verification on, not its first', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>();
    const exp = seconds(Date.now()) + 60;
    cache.verified('token-a', 0x1234_5678, { exp });
    expect(cache.get('token-a')).toBeUndefined();
    cache.verified('token-b', 0x0abc_def0, { exp }); // another token in between does not erase the first sighting
    cache.verified('token-a', 0x1234_5678, { exp });
    expect(cache.get('token-a')).toEqual({ exp });
    expect(cache.get('token-b')).toBeUndefined();
  });

  it('a later token in the same sighting slot replaces the earlier one', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>();
    const exp = seconds(Date.now()) + 60;
    cache.verified('token-a', 0x0001_0005, { exp });
    cache.verified('token-b', 0x0002_0005, { exp }); // same low bits, other token
    cache.verified('token-a', 0x0001_0005, { exp });
    expect(cache.get('token-a')).toBeUndefined(); // its first sighting was forgotten: this was its "first" again
    cache.verified('token-a', 0x0001_0005, { exp });
    expect(cache.get('token-a')).toBeDefined();
  });
});
