export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  attempts?: number;
  /** Delay before the second attempt; it doubles each time (with jitter). Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of one delay (a Retry-After above it is cut to it). Default 5000 ms. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 5, baseDelayMs: 250, maxDelayMs: 5000 };

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): exponential with ±20 % jitter so tabs and devices
 * that failed together do not come back together; a server's Retry-After (seconds) wins when it is longer.
 */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, retryAfterSeconds?: number, random = Math.random): number {
  const exponential = options.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential * (0.8 + 0.4 * random());
  const wanted = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? Math.max(jittered, retryAfterSeconds * 1000) : jittered;
  return Math.round(Math.min(wanted, options.maxDelayMs));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
