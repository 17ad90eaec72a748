// One channel's life: connect, stay subscribed, replace a connection that has been silent
// too long (the new one opens before the old one closes, so nothing is lost in between),
// reconnect with backoff after transient failures, re-subscribe at once when a proxy cuts a
// quiet stream, and stop with a reason when retrying cannot help. The engine owns this
// policy; each attempt is a Subscription.

import type { RawFrame } from '../events/normalize.ts';
import type { Clock, Logger, Random, TimerHandle } from '../ports.ts';
import type { Attempt, AttemptFactory, AttemptListener } from './attempt.ts';
import type { Authorizer } from './auth.ts';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import type { ChannelState } from './channel-state.ts';
import { type AttemptFacts, classifyAttempt, type Verdict } from './failure.ts';
import { CutCadence, judgeIdleCut } from './idle-cut.ts';
import { Subscription } from './subscription.ts';

export interface ConnectionTuning {
  readonly backoff: BackoffOptions;
  /** A connection silent for this long is replaced (overlapping, deduplicated). */
  readonly idleRefreshMs: number;
  /** After TCP is up, how long without an answer before a quiet server counts as subscribed. */
  readonly settleMs: number;
  /** An attempt subscribed this long resets the backoff (as does one that delivered new events). */
  readonly stableMs: number;
  readonly maxBufferSize: number;
  readonly connectTimeoutMs: number;
  readonly userAgent: string;
}

export const DEFAULT_TUNING: ConnectionTuning = {
  backoff: DEFAULT_BACKOFF,
  idleRefreshMs: 5 * 60_000,
  settleMs: 1_500,
  stableMs: 10_000,
  maxBufferSize: 4 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  userAgent: 'Annotray',
};

/** Why a channel stopped being subscribed, where it matters to how the outage is shown. */
export type DownCause = 'idle-cut';

export interface ConnectionEvents {
  state(state: ChannelState, previous: ChannelState): void;
  /**
   * A frame arrived. Returns true when it held a new event (not a duplicate, not malformed):
   * only a connection that delivered something new, or stayed up, resets the backoff.
   */
  frame(frame: RawFrame): boolean;
  /**
   * The channel stopped being subscribed (events sent from now on may be missed). `cause` is
   * 'idle-cut' when a proxy closed the quiet stream and it is being re-subscribed at once.
   */
  down(at: number, reason: string, cause?: DownCause): void;
  /** The channel is subscribed again. */
  up(at: number): void;
  /**
   * A connection that had been silent since `silentSince` was replaced. If it had stalled
   * (Redis restarted under the server), events sent in that window were lost unseen.
   */
  replaced?(silentSince: number, at: number): void;
  /** Something the admin should fix, said once (a proxy that cuts quiet streams at a cadence). */
  advice?(text: string): void;
}

export interface ChannelConnectionOptions {
  readonly channel: string;
  readonly url: URL;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly tuning: ConnectionTuning;
  readonly events: ConnectionEvents;
  readonly createSubscription?: AttemptFactory;
}

/**
 * Re-subscribing after a proxy's idle cut: 50–250 ms, spread so a team does not come back at
 * once (each member's stream is cut on its own timer anyway), and counted as subscribed 100 ms
 * after TCP is up. Every millisecond here is a window in which a published event is lost.
 */
const RESUBSCRIBE_MIN_MS = 50;
const RESUBSCRIBE_SPREAD_MS = 200;
const RESUBSCRIBE_SETTLE_MS = 100;

/** Refusals that a working channel retries a few times before believing them (see #doubt). */
const DOUBTFUL_FAILURES = new Set(['not-found', 'unauthorized', 'forbidden']);
const DOUBT_RETRIES = 3;

export class ChannelConnection {
  readonly #options: ChannelConnectionOptions;
  #state: ChannelState;
  /** The attempt we rely on. */
  #current: Attempt | undefined;
  /** A replacement being opened while #current still runs. */
  #candidate: Attempt | undefined;
  #attempt = 0;
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  #lastActivity = 0;
  /** True from a failure (or pause) until the channel is subscribed again: a gap is open. */
  #down = false;
  #authRetried = false;
  #reconnectTimer: TimerHandle | undefined;
  #idleTimer: TimerHandle | undefined;
  readonly #settleTimers = new Map<Attempt, TimerHandle>();
  #reconnects = 0;
  #refreshes = 0;
  /** When each attempt last received a byte, and when it was subscribed. */
  readonly #lastByteAt = new WeakMap<Attempt, number>();
  readonly #establishedAt = new WeakMap<Attempt, number>();
  /** Attempts that delivered at least one new event. */
  readonly #delivered = new WeakSet<Attempt>();
  /** True once a connection of this run earned trust (stable or delivered): see #doubt. */
  #hasWorked = false;
  /** Refusals (404/401/403) retried because the channel had been working. */
  #doubtRetries = 0;
  /** The next attempt replaces one a proxy cut for idleness: the same server just accepted us. */
  #resubscribing = false;
  readonly #cadence = new CutCadence();
  #advice: string | undefined;

  constructor(options: ChannelConnectionOptions) {
    this.#options = options;
    this.#state = { kind: 'paused', since: options.clock.now() };
  }

  get state(): ChannelState {
    return this.#state;
  }

  /** Advice for the admin about this channel's deployment, once seen (see CutCadence). */
  get advice(): string | undefined {
    return this.#advice;
  }

  get stats(): { reconnects: number; refreshes: number; lastEventId?: string } {
    return {
      reconnects: this.#reconnects,
      refreshes: this.#refreshes,
      ...(this.#lastEventId ? { lastEventId: this.#lastEventId } : {}),
    };
  }

  /**
   * The last SSE id a previous run received, sent as `Last-Event-ID` on the first connection
   * so a server that honours it resends what was missed. An id this run saw wins.
   */
  resumeFrom(id: string | undefined): void {
    this.#lastEventId ??= id;
  }

  start(): void {
    if (this.#state.kind !== 'paused' && this.#state.kind !== 'failed') return;
    this.#attempt = 0;
    this.#authRetried = false;
    this.#doubtRetries = 0;
    this.#connect();
  }

  /** Stops following the channel; `reason` is recorded with the gap. */
  stop(reason = 'paused'): void {
    this.#clearTimers();
    this.#closeAll();
    this.#markDown(reason);
    this.#setState({ kind: 'paused', since: this.#now() });
  }

  /**
   * The OS resumed or the network came back: retry at once if we were waiting, and replace an
   * open connection, which may have died silently while the machine slept.
   */
  reconnectNow(reason: string): void {
    switch (this.#state.kind) {
      case 'reconnecting':
        this.#options.logger.log('info', 'reconnecting now', { channel: this.#options.channel, reason });
        this.#cancelReconnect();
        this.#connect();
        return;
      case 'open':
        this.#options.logger.log('info', 'replacing a connection that may be stale', {
          channel: this.#options.channel,
          reason,
        });
        this.#refresh();
        return;
      case 'connecting':
        if (this.#current && this.#current.connectedAt === undefined) {
          this.#current.close();
          this.#current = undefined;
          this.#connect();
        }
        return;
      case 'failed':
      case 'paused':
        return;
    }
  }

  #now(): number {
    return this.#options.clock.now();
  }

  #connect(): void {
    this.#setState({ kind: 'connecting', since: this.#now(), attempt: this.#attempt });
    this.#current = this.#open();
  }

  #open(): Attempt {
    const factory: AttemptFactory =
      this.#options.createSubscription ??
      ((options, listener, now) => new Subscription(options, listener, now));
    return factory(
      {
        url: this.#options.url,
        channel: this.#options.channel,
        authorizer: this.#options.authorizer,
        maxBufferSize: this.#options.tuning.maxBufferSize,
        connectTimeoutMs: this.#options.tuning.connectTimeoutMs,
        userAgent: this.#options.tuning.userAgent,
        ...(this.#lastEventId ? { lastEventId: this.#lastEventId } : {}),
      },
      this.#listener,
      () => this.#now(),
    );
  }

  readonly #listener: AttemptListener = {
    connected: (sub) => {
      if (!this.#owns(sub)) return;
      this.#lastByteAt.set(sub, this.#now());
      // A quiet server may hold its headers back for hours; once TCP is up and nothing
      // refused us for a moment, the subscription is in place. Right after a proxy's idle cut
      // the same server has just accepted us: a refusal now is unlikely, so wait less.
      const settleMs = this.#resubscribing
        ? Math.min(this.#options.tuning.settleMs, RESUBSCRIBE_SETTLE_MS)
        : this.#options.tuning.settleMs;
      const timer = this.#options.clock.setTimeout(() => {
        this.#settleTimers.delete(sub);
        if (sub.openedAt === undefined && !sub.ended) this.#established(sub, true);
      }, settleMs);
      timer.unref?.();
      this.#settleTimers.set(sub, timer);
    },
    open: (sub) => {
      if (!this.#owns(sub)) return;
      this.#authRetried = false;
      this.#established(sub, false);
    },
    activity: (sub) => {
      const now = this.#now();
      this.#lastByteAt.set(sub, now);
      if (sub === this.#current) this.#lastActivity = now;
    },
    frame: (sub, frame) => {
      if (!this.#owns(sub)) return;
      if (sub.lastEventId) this.#lastEventId = sub.lastEventId;
      const now = this.#now();
      this.#lastByteAt.set(sub, now);
      if (sub === this.#current) this.#lastActivity = now;
      if (this.#options.events.frame(frame)) {
        this.#delivered.add(sub);
        this.#cadence.reset();
      }
    },
    ended: (sub, facts) => this.#ended(sub, facts),
  };

  #owns(sub: Attempt): boolean {
    return sub === this.#current || sub === this.#candidate;
  }

  /** `sub` is subscribed: headers arrived, or TCP is up and the server stays quiet. */
  #established(sub: Attempt, quiet: boolean): void {
    this.#clearSettle(sub);
    if (sub === this.#candidate) {
      // The replacement is in place: only now let the old connection go.
      const old = this.#current;
      const silentSince = this.#lastActivity;
      this.#current = sub;
      this.#candidate = undefined;
      old?.close();
      this.#options.events.replaced?.(silentSince, this.#now());
      if (old) this.#clearSettle(old);
      this.#refreshes += 1;
      this.#options.logger.log('debug', 'replaced an idle connection', { channel: this.#options.channel });
    }
    if (sub !== this.#current) return;
    this.#establishedAt.set(sub, this.#now());
    this.#resubscribing = false;
    this.#doubtRetries = 0;
    this.#lastActivity = this.#now();
    if (this.#state.kind !== 'open' || this.#state.awaitingHeaders !== quiet) {
      const since = this.#state.kind === 'open' ? this.#state.since : this.#now();
      this.#setState({ kind: 'open', since, awaitingHeaders: quiet });
    }
    if (this.#down) {
      this.#down = false;
      this.#options.events.up(this.#now());
    }
    this.#armIdle();
  }

  #ended(sub: Attempt, facts: AttemptFacts): void {
    this.#clearSettle(sub);
    if (sub.retryMs !== undefined) this.#retryMs = sub.retryMs;
    if (!this.#owns(sub)) return;
    const now = this.#now();
    if (this.#earned(sub, now)) {
      this.#attempt = 0;
      this.#hasWorked = true;
    }
    const verdict = this.#doubt(classifyAttempt(facts));
    const idleCut = verdict.retry
      ? judgeIdleCut(facts, {
          connectedAt: sub.connectedAt,
          lastByteAt: this.#lastByteAt.get(sub),
          endedAt: now,
        })
      : undefined;
    const reason = idleCut?.reason ?? verdict.reason;
    this.#options.logger.log(verdict.retry ? 'info' : 'warn', 'connection ended', {
      channel: this.#options.channel,
      status: facts.response?.status,
      reason,
    });

    if (sub === this.#candidate) {
      this.#candidate = undefined;
      if (!verdict.retry && !this.#tryAuthRefresh(verdict)) {
        this.#fail(verdict);
        return;
      }
      // The old connection may still be fine; try replacing it again later.
      this.#armIdle(
        backoffDelay(this.#attempt++, this.#options.random, this.#options.tuning.backoff, this.#retryMs),
      );
      return;
    }

    this.#current = undefined;
    if (!verdict.retry) {
      if (this.#tryAuthRefresh(verdict)) return;
      this.#fail(verdict);
      return;
    }
    if (idleCut) {
      const advice = this.#cadence.record(idleCut.silentMs);
      if (advice) {
        this.#advice = advice;
        this.#options.logger.log('warn', 'a proxy cuts quiet streams', {
          channel: this.#options.channel,
          advice,
        });
        this.#options.events.advice?.(advice);
      }
    } else {
      this.#cadence.reset();
    }
    // A candidate that is already on its way takes over as the main attempt.
    if (this.#candidate) {
      this.#current = this.#candidate;
      this.#candidate = undefined;
      this.#markDown(reason, idleCut ? 'idle-cut' : undefined);
      this.#setState({ kind: 'connecting', since: now, attempt: this.#attempt });
      return;
    }
    this.#markDown(reason, idleCut ? 'idle-cut' : undefined);
    if (idleCut) this.#resubscribe(reason);
    else this.#scheduleReconnect(verdict);
  }

  /**
   * Whether an attempt earned a reset of the backoff: it delivered new events, or it stayed
   * subscribed for `stableMs`. Replayed duplicates and an accept-then-drop earn nothing, so a
   * server that does that forever is contacted a few times a minute, not in a loop.
   */
  #earned(sub: Attempt, now: number): boolean {
    if (this.#delivered.has(sub)) return true;
    const establishedAt = this.#establishedAt.get(sub);
    return establishedAt !== undefined && now - establishedAt >= this.#options.tuning.stableMs;
  }

  /**
   * One 404, 401 or 403 from a channel that has been working is more likely a deploy in
   * progress than wrong settings: retry it a few times with backoff before concluding. A first
   * connection that answers so, or an answer that says outright the token is invalid, stops at once.
   */
  #doubt(verdict: Verdict): Verdict {
    if (verdict.retry || !DOUBTFUL_FAILURES.has(verdict.failure)) return verdict;
    const current = this.#current;
    if (!this.#hasWorked && !(current && this.#earned(current, this.#now()))) return verdict;
    if (verdict.unambiguous || this.#doubtRetries >= DOUBT_RETRIES) return verdict;
    // An expired PAT access token is exchanged again first (see #tryAuthRefresh).
    if (verdict.failure === 'unauthorized' && this.#options.authorizer.canRefresh && !this.#authRetried)
      return verdict;
    this.#doubtRetries += 1;
    return {
      retry: true,
      reason: `${verdict.reason} (this channel was working: trying again, ${this.#doubtRetries} of ${DOUBT_RETRIES}, before stopping)`,
    };
  }

  /** A proxy cut the quiet stream: come back within a second, without growing the backoff. */
  #resubscribe(reason: string): void {
    const floor = this.#retryMs;
    const delay =
      floor === undefined
        ? Math.round(RESUBSCRIBE_MIN_MS + this.#options.random() * RESUBSCRIBE_SPREAD_MS)
        : backoffDelay(0, this.#options.random, { ...this.#options.tuning.backoff, initialMs: 0 }, floor);
    this.#resubscribing = true;
    this.#waitThenConnect(delay, reason);
  }

  /** A PAT access token may have expired: exchange it again and retry once at once. */
  #tryAuthRefresh(verdict: Verdict): boolean {
    if (verdict.retry || verdict.failure !== 'unauthorized') return false;
    if (!this.#options.authorizer.canRefresh || this.#authRetried) return false;
    this.#authRetried = true;
    this.#options.authorizer.invalidate();
    if (this.#current || this.#candidate) return true;
    this.#connect();
    return true;
  }

  #scheduleReconnect(verdict: Extract<Verdict, { retry: true }>): void {
    const floor =
      this.#retryMs === undefined && verdict.minDelayMs === undefined
        ? undefined
        : Math.max(this.#retryMs ?? 0, verdict.minDelayMs ?? 0);
    const delay = backoffDelay(this.#attempt, this.#options.random, this.#options.tuning.backoff, floor);
    this.#resubscribing = false;
    this.#waitThenConnect(delay, verdict.reason);
    this.#attempt += 1;
  }

  #waitThenConnect(delay: number, reason: string): void {
    const now = this.#now();
    this.#reconnects += 1;
    this.#setState({
      kind: 'reconnecting',
      since: now,
      attempt: this.#attempt,
      nextAttemptAt: now + delay,
      reason,
    });
    this.#cancelReconnect();
    this.#reconnectTimer = this.#options.clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect();
    }, delay);
  }

  #fail(verdict: Extract<Verdict, { retry: false }>): void {
    this.#clearTimers();
    this.#closeAll();
    this.#markDown(verdict.reason);
    this.#setState({ kind: 'failed', since: this.#now(), failure: verdict.failure, reason: verdict.reason });
  }

  #markDown(reason: string, cause?: DownCause): void {
    this.#disarmIdle();
    if (this.#down) return;
    this.#down = true;
    this.#options.events.down(this.#now(), reason, cause);
  }

  #refresh(): void {
    if (this.#candidate || !this.#current) return;
    this.#candidate = this.#open();
  }

  /** Checks for silence at the idle deadline; re-arms for the remainder while bytes flow. */
  #armIdle(delay?: number): void {
    this.#disarmIdle();
    const wait = delay ?? Math.max(0, this.#lastActivity + this.#options.tuning.idleRefreshMs - this.#now());
    this.#idleTimer = this.#options.clock.setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#state.kind !== 'open') return;
      const silent = this.#now() - this.#lastActivity;
      if (delay === undefined && silent < this.#options.tuning.idleRefreshMs) {
        this.#armIdle();
        return;
      }
      this.#options.logger.log('debug', 'connection silent; opening a replacement', {
        channel: this.#options.channel,
        silentMs: silent,
      });
      this.#refresh();
    }, wait);
    this.#idleTimer.unref?.();
  }

  #disarmIdle(): void {
    if (this.#idleTimer !== undefined) this.#options.clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  #cancelReconnect(): void {
    if (this.#reconnectTimer !== undefined) this.#options.clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  #clearSettle(sub: Attempt): void {
    const timer = this.#settleTimers.get(sub);
    if (timer !== undefined) this.#options.clock.clearTimeout(timer);
    this.#settleTimers.delete(sub);
  }

  #clearTimers(): void {
    this.#cancelReconnect();
    this.#disarmIdle();
    for (const timer of this.#settleTimers.values()) this.#options.clock.clearTimeout(timer);
    this.#settleTimers.clear();
  }

  #closeAll(): void {
    this.#current?.close();
    this.#candidate?.close();
    this.#current = undefined;
    this.#candidate = undefined;
  }

  #setState(state: ChannelState): void {
    const previous = this.#state;
    this.#state = state;
    this.#options.events.state(state, previous);
  }
}
