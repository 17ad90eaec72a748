// Reconnect delays: exponential growth with full jitter ("AWS full jitter"), capped, so
// that a fleet of annotators whose server restarts does not reconnect in lock-step.

import type { Random } from '../ports.ts';

export interface BackoffOptions {
  /** First ceiling, ms. */
  readonly initialMs: number;
  /** Largest ceiling, ms. */
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

/** The ceiling for attempt n (0-based): min(max, initial * factor^n). */
export function backoffCeiling(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  return Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
}

/**
 * The delay before reconnect attempt n. A server's `retry:` (or `Retry-After`), when given, is
 * the floor: the server asked us not to come back sooner. Above the floor the delay is spread
 * by a quarter of it (at least 500 ms), so a team whose server said "come back in 5 s" does
 * not return in the same millisecond. Never less than 100 ms, so a flapping server cannot
 * make us spin.
 */
export function backoffDelay(
  attempt: number,
  random: Random,
  options: BackoffOptions = DEFAULT_BACKOFF,
  serverRetryMs?: number,
): number {
  const r = random();
  const jittered = r * backoffCeiling(attempt, options);
  if (serverRetryMs === undefined) return Math.round(Math.max(jittered, MIN_DELAY_MS));
  const floor = Math.min(Math.max(serverRetryMs, MIN_DELAY_MS), options.maxMs);
  return Math.round(Math.max(jittered, floor + r * floorSpread(floor)));
}

/** How far above a server's floor delays are spread. */
export function floorSpread(floorMs: number): number {
  return Math.max(500, floorMs / 4);
}

const MIN_DELAY_MS = 100;
