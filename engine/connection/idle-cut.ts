// Proxies and load balancers close streams that send nothing: nginx's default
// proxy_read_timeout is 60 s, an AWS load balancer's idle timeout 60 s, Cloudflare answers 524
// after about 100 s. Label Studio sends no heartbeat and Daphne holds its headers back until
// the first event, so behind them a quiet channel is cut every minute, all day. That is the
// intermediary's doing, not a failing server: the cut attempt is re-subscribed at once and
// never grows the backoff. A server that is really down shows itself on the next attempt
// (refused, 502), which then backs off as usual.

import { formatDuration } from '../format/duration.ts';
import type { AttemptFacts } from './failure.ts';

/** How an attempt lived, as the connection saw it. */
export interface AttemptTiming {
  /** TCP (and TLS) up; undefined when it never connected. */
  readonly connectedAt: number | undefined;
  /** The last byte received on this attempt (or connectedAt when none came). */
  readonly lastByteAt: number | undefined;
  readonly endedAt: number;
}

export interface IdleCut {
  /** How long the stream had been silent when it was cut. */
  readonly silentMs: number;
  /** How long the attempt had been connected. */
  readonly connectedMs: number;
  readonly reason: string;
}

/**
 * An attempt cut after at least this much silence is taken for an idle timeout. Below it, a
 * server that accepts and drops at once would be contacted in a tight loop; the backoff
 * handles those.
 */
export const MIN_IDLE_CUT_MS = 2_000;

/** Proxy answers that mean "your request waited too long", as opposed to "the server is down". */
export const TIMEOUT_STATUSES: ReadonlyMap<number, string> = new Map<number, string>([
  [408, '408 Request Timeout'],
  [504, '504 Gateway Timeout'],
  [524, '524 (a timeout at Cloudflare)'],
]);

/**
 * Whether an attempt that ended was a quiet stream closed by an intermediary's idle timeout.
 * Called only for endings that retrying can fix.
 */
export function judgeIdleCut(facts: AttemptFacts, timing: AttemptTiming): IdleCut | undefined {
  if (timing.connectedAt === undefined) return undefined;
  const silentMs = timing.endedAt - (timing.lastByteAt ?? timing.connectedAt);
  const connectedMs = timing.endedAt - timing.connectedAt;
  if (silentMs < MIN_IDLE_CUT_MS) return undefined;
  const status = facts.response?.status;
  const after = formatDuration(silentMs);
  if (status !== undefined && status !== 200) {
    const name = TIMEOUT_STATUSES.get(status);
    if (!name) return undefined;
    return {
      silentMs,
      connectedMs,
      reason: `a proxy answered ${name} after ${after} of silence: it closes quiet streams (an idle timeout), not a server failure`,
    };
  }
  // A clean end, a broken stream or a socket closed before any answer, after a silent wait.
  if (
    facts.ended ||
    facts.bodyError !== undefined ||
    facts.fetchError !== undefined ||
    facts.closeCode !== undefined
  ) {
    return {
      silentMs,
      connectedMs,
      reason: `the quiet stream was closed after ${after} of silence: a proxy or load balancer idle timeout, most likely`,
    };
  }
  return undefined;
}

/**
 * Notices when idle cuts repeat at a steady cadence (three in a row within 25 % of each
 * other), which is a proxy's timeout, and words the fix once per cadence.
 */
export class CutCadence {
  readonly #recent: number[] = [];
  #announced: number | undefined;

  /** Records one cut; returns advice the first time a steady cadence is seen. */
  record(silentMs: number): string | undefined {
    this.#recent.push(silentMs);
    if (this.#recent.length > 3) this.#recent.shift();
    if (this.#recent.length < 3) return undefined;
    const min = Math.min(...this.#recent);
    const max = Math.max(...this.#recent);
    if (max > min * 1.25 + 1_000) return undefined;
    const typical = this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length;
    if (
      this.#announced !== undefined &&
      Math.abs(this.#announced - typical) <= this.#announced * 0.25 + 1_000
    ) {
      return undefined;
    }
    this.#announced = typical;
    return proxyTimeoutAdvice(typical);
  }

  /** A real failure or a delivered event ends the pattern. */
  reset(): void {
    this.#recent.length = 0;
  }
}

/** What to tell the user and the admin about a proxy that cuts quiet streams every `everyMs`. */
export function proxyTimeoutAdvice(everyMs: number): string {
  return (
    `a proxy closes this quiet stream about every ${formatDuration(everyMs)}; Annotray re-subscribes at once, ` +
    'but events sent in those moments may be missed. Fix it on the server side: raise nginx ' +
    '`proxy_read_timeout` (and `proxy_send_timeout`) for the events location, or the load ' +
    "balancer's idle timeout, above an hour; or have the server send a `: ping` comment every 30 s"
  );
}
