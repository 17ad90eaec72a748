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
 * The delay before reconnect attempt n. A server's `retry:` value, when given, is the floor:
 * the server asked us not to come back sooner. Never less than 100 ms, so a flapping server
 * cannot make us spin.
 */
export function backoffDelay(
  attempt: number,
  random: Random,
  options: BackoffOptions = DEFAULT_BACKOFF,
  serverRetryMs?: number,
): number {
  const jittered = random() * backoffCeiling(attempt, options);
  const floor = serverRetryMs === undefined ? 100 : Math.min(Math.max(serverRetryMs, 100), options.maxMs);
  return Math.round(Math.max(jittered, floor));
}
