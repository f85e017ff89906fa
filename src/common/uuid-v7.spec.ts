import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7.js';

describe('uuidV7', () => {
  it('is a version 7, variant 10 UUID whose first 48 bits are the milliseconds', () => {
    const id = uuidV7(0x0123_4567_89ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by time and is unique within a millisecond', () => {
    const earlier = uuidV7(1_700_000_000_000);
    const later = uuidV7(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    const same = new Set(Array.from({ length: 1000 }, () => uuidV7(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });

  it('sorts ids made within one millisecond in the order they were made', () => {
    const ids = Array.from({ length: 100 }, () => uuidV7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
  });
});
