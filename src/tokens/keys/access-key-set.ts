import type { KeyMaterial } from './key-material.js';

/**
 * The rules of access-key rotation, on plain data and an explicit clock (epoch seconds), so they are
 * testable without files or timers. Every state follows from the timestamps alone: instances that read the
 * same key set agree on which key signs at any moment without talking to each other.
 */
export interface ScheduledKey {
  kid: string;
  material: KeyMaterial;
  createdAt: number;
  /** From this instant the key signs (the newest such key wins); before it, it is published as `next`. */
  activatesAt: number;
  /** From this instant nothing verifies with it any more; unset while it may still sign. */
  retiresAt?: number;
}

export type KeyState = 'next' | 'active' | 'previous' | 'retired';

/** Room for clocks of different instances and resource servers that disagree by up to this much. */
export const CLOCK_SKEW_SECONDS = 60;

export class RotationRefusedError extends Error {}

export function isRetired(key: ScheduledKey, now: number): boolean {
  return key.retiresAt !== undefined && key.retiresAt <= now;
}

/** The key that signs at `now`: the most recently activated one that is not retired (on a tie, the one added last). */
export function activeKey(keys: readonly ScheduledKey[], now: number): ScheduledKey | undefined {
  let active: ScheduledKey | undefined;
  for (const key of keys) {
    if (key.activatesAt > now || isRetired(key, now)) continue;
    if (!active || key.activatesAt >= active.activatesAt) active = key;
  }
  return active;
}

export function keyState(key: ScheduledKey, keys: readonly ScheduledKey[], now: number): KeyState {
  if (isRetired(key, now)) return 'retired';
  if (key.activatesAt > now) return 'next';
  return activeKey(keys, now) === key ? 'active' : 'previous';
}

export interface RotationOptions {
  now: number;
  /** How long the new key is published as `next` before it signs: verifiers fetch it in the meantime. */
  delaySeconds: number;
  /** The access-token lifetime: the old key verifies until the last token it signed has expired. */
  accessTtlSeconds: number;
  /** The old keys leaked: the new one signs at once and the old ones stop verifying at once. */
  compromised?: boolean;
}

/**
 * The key set after adding `fresh`: retired keys dropped, the new key published now and active after the
 * delay, every key that may still sign until then retiring once its last token has expired.
 */
export function rotate(keys: readonly ScheduledKey[], fresh: { kid: string; material: KeyMaterial }, options: RotationOptions): ScheduledKey[] {
  const { now, accessTtlSeconds, compromised = false } = options;
  const delaySeconds = compromised ? 0 : options.delaySeconds;
  const kept = keys.filter((key) => !isRetired(key, now));
  const pending = kept.find((key) => key.activatesAt > now);
  if (pending && !compromised) {
    throw new RotationRefusedError(`key ${pending.kid} is already waiting to become active at ${new Date(pending.activatesAt * 1000).toISOString()}`);
  }
  if (kept.some((key) => key.kid === fresh.kid)) throw new RotationRefusedError(`key ${fresh.kid} is already in the set`);
  const activatesAt = now + delaySeconds;
  const retiresAt = compromised ? now : activatesAt + accessTtlSeconds + CLOCK_SKEW_SECONDS;
  const survivors = compromised
    ? []
    : kept.map((key) => (key.retiresAt === undefined || key.retiresAt > retiresAt ? { ...key, retiresAt } : key));
  return [...survivors, { kid: fresh.kid, material: fresh.material, createdAt: now, activatesAt }];
}
