// Keeps every channel's history and writes it to the HistoryStore in the background:
// changes are coalesced (one write per channel per `saveDelayMs`), at most one write per
// channel is in flight, and nothing on the delivery path ever awaits the disk. Writes are
// small appends of what changed; a full save (which serializes the whole history) happens
// only after loading a history whose journal is long or torn, and once the journal holds as
// many records as the history holds events.
// A stored history that could not be read is never written over (the channel's history stays
// in memory only), and a store that fails to write is retried with a growing delay and
// reported once per episode, not once a second.

import type { Clock, HistoryStore, Logger, TimerHandle } from '../ports.ts';
import { ChannelHistory, DEFAULT_LIMITS, type HistoryLimits, type HistoryRecord } from './channel-history.ts';
import { HistoryReadError } from './history-read-error.ts';

export interface HistoryKeeperOptions {
  readonly store?: HistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits?: HistoryLimits;
  readonly saveDelayMs?: number;
  /** A channel's history problem appeared (text) or went away (undefined). */
  readonly onProblem?: (channelKey: string, problem: string | undefined) => void;
}

/**
 * Histories read at a time. Reading one is mostly parsing JSON and building its events, on
 * this thread: read all at once, they finished together (with 50 full channels each one
 * was in only after ~4 s, when nearly all were), and every file's text was in memory at once.
 * Two, so that one file is read while the other is parsed (one at a time measured slower).
 */
const LOAD_CONCURRENCY = 2;

/**
 * After a load, a journal this short (against the history's bound) and whole is appended to
 * rather than folded into a full save. Every stop appends to it (the gap it leaves open), so
 * folding it at each start rewrote every history (470 MB of JSON for 50 full channels), while
 * a longer journal makes each start read more: folded past this, or once the journal outgrows
 * the history as during a run. A torn line is always folded (an append would continue it).
 */
const MAX_CARRIED_JOURNAL_SHARE = 0.1;

/** The longest wait between two attempts to write a history the store keeps refusing. */
const MAX_RETRY_DELAY_MS = 60_000;

interface Pending {
  records: HistoryRecord[];
  /** The next write must be a full save (after a load, a failed write, or a store without append). */
  full: boolean;
  /** Records appended since the last full save. */
  journaled: number;
  /** The latest cursor (SSE id) not yet written: one record per write, not one per event. */
  cursor?: string;
  /** Writes failed in a row, and when the next may be tried. */
  failures: number;
  retryAt: number;
}

export class HistoryKeeper {
  readonly #histories = new Map<string, ChannelHistory>();
  readonly #pending = new Map<string, Pending>();
  readonly #dirty = new Set<string>();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #loading = new Map<string, Promise<void>>();
  /** Histories waiting to be read (see LOAD_CONCURRENCY), each with what resolves its #loading. */
  readonly #queued: { history: ChannelHistory; done: () => void }[] = [];
  /** How many of the queue's front were moved there by prioritize(), in the order asked. */
  #urgent = 0;
  #reading = 0;
  /** Channels whose stored history is unread and in place: never written. */
  readonly #readOnly = new Set<string>();
  readonly #problems = new Map<string, string>();
  readonly #options: HistoryKeeperOptions;
  #timer: TimerHandle | undefined;
  #fullSaves: Promise<unknown> = Promise.resolve();

  constructor(options: HistoryKeeperOptions) {
    this.#options = options;
  }

  /** The history of a channel, created empty at once and filled from the store in the background. */
  get(channelKey: string): ChannelHistory {
    let history = this.#histories.get(channelKey);
    if (!history) {
      history = new ChannelHistory(channelKey, this.#limits);
      this.#histories.set(channelKey, history);
      const queued = history;
      this.#loading.set(
        channelKey,
        new Promise<void>((done) => {
          this.#queued.push({ history: queued, done });
        }),
      );
      this.#startLoads();
    }
    return history;
  }

  /**
   * Reads this channel's history before those still waiting that were not asked for (a
   * channel whose first frame arrived: its events wait for its history). Channels asked for
   * load in the order asked.
   */
  prioritize(channelKey: string): void {
    const index = this.#queued.findIndex((q) => q.history.channelKey === channelKey);
    if (index < this.#urgent) return;
    const [entry] = this.#queued.splice(index, 1);
    if (!entry) return;
    this.#queued.splice(this.#urgent, 0, entry);
    this.#urgent += 1;
  }

  get all(): ReadonlyMap<string, ChannelHistory> {
    return this.#histories;
  }

  /**
   * The last SSE id stored for a channel, for its first request: read on its own when the
   * store can (fast, whatever the history's size), else once the history is loaded.
   */
  async cursorFor(channelKey: string): Promise<string | undefined> {
    const store = this.#options.store;
    const history = this.get(channelKey);
    if (store?.loadCursor)
      return history.lastEventId ?? (await store.loadCursor(channelKey).catch(() => undefined));
    await this.#loading.get(channelKey);
    return history.lastEventId;
  }

  /** Resolves when one channel's stored history has been read (at once without a store). */
  async loadedFor(channelKey: string): Promise<void> {
    this.get(channelKey);
    await this.#loading.get(channelKey);
  }

  /** What is wrong with a channel's stored history, in words for the user; undefined when nothing. */
  problem(channelKey: string): string | undefined {
    return this.#problems.get(channelKey);
  }

  /** Resolves when every history asked for so far has been read from the store. */
  async loaded(): Promise<void> {
    await Promise.all(this.#loading.values());
  }

  /** Records a change to a channel (already applied to its history); it is written after the save delay. */
  record(channelKey: string, record: HistoryRecord): void {
    if (!this.#options.store || this.#readOnly.has(channelKey)) return;
    const pending = this.#pendingFor(channelKey);
    // A full save writes the whole history: the records would only pile up meanwhile.
    if (record.t === 'cursor') pending.cursor = record.id;
    else if (!pending.full) pending.records.push(record);
    this.#schedule(channelKey);
  }

  /** Writes everything pending now and waits for it (on quit). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.loaded();
    // Quitting: try once more what failed, without waiting for its retry delay.
    for (const [key, pending] of this.#pending) if (pending.failures > 0) this.#dirty.add(key);
    await this.#writeDirty(true);
    await Promise.all(this.#writing.values());
  }

  get #limits(): HistoryLimits {
    return this.#options.limits ?? DEFAULT_LIMITS;
  }

  #pendingFor(channelKey: string): Pending {
    let pending = this.#pending.get(channelKey);
    if (!pending) {
      pending = { records: [], full: !this.#options.store?.append, journaled: 0, failures: 0, retryAt: 0 };
      this.#pending.set(channelKey, pending);
    }
    return pending;
  }

  #schedule(channelKey: string): void {
    this.#dirty.add(channelKey);
    if (this.#timer !== undefined) return;
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#writeDirty();
    }, this.#options.saveDelayMs ?? 1_000);
    this.#timer.unref?.();
  }

  #startLoads(): void {
    while (this.#reading < LOAD_CONCURRENCY) {
      const next = this.#queued.shift();
      if (!next) return;
      if (this.#urgent > 0) this.#urgent -= 1;
      this.#reading += 1;
      const finished = () => {
        this.#reading -= 1;
        next.done();
        this.#startLoads();
      };
      void this.#load(next.history).then(finished, (error: unknown) => {
        this.#options.logger.log('error', 'reading a history failed', {
          channel: next.history.channelKey,
          error: String(error),
        });
        finished();
      });
    }
  }

  async #load(history: ChannelHistory): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    try {
      const snapshot = await store.load(history.channelKey);
      if (snapshot) {
        history.restore(snapshot);
        const journal = snapshot.journal;
        const pending = this.#pendingFor(history.channelKey);
        if (
          journal &&
          journal.unreadable === 0 &&
          journal.lines <= this.#limits.maxEvents * MAX_CARRIED_JOURNAL_SHARE
        ) {
          // What arrived during the load is appended to it like any change.
          pending.journaled = journal.lines;
        } else {
          pending.full = true;
          this.#schedule(history.channelKey);
        }
      }
    } catch (error) {
      const key = history.channelKey;
      const keptAside = error instanceof HistoryReadError && error.keptAside;
      const cause =
        error instanceof HistoryReadError
          ? error.message
          : `could not read the stored history (${String(error)})`;
      if (keptAside) {
        this.#setProblem(key, `${cause}; this channel's history starts empty`);
      } else {
        // Whatever is stored is still there and may be whole: writing now would replace it.
        this.#readOnly.add(key);
        this.#pending.delete(key);
        this.#setProblem(
          key,
          `${cause}. New events are shown but not saved, so the stored history is not overwritten; fix it and restart Annotray`,
        );
      }
      this.#options.logger.log('error', 'could not read history', { channel: key, error: cause, keptAside });
    }
  }

  #setProblem(channelKey: string, problem: string | undefined): void {
    if (this.#problems.get(channelKey) === problem) return;
    if (problem === undefined) this.#problems.delete(channelKey);
    else this.#problems.set(channelKey, problem);
    this.#options.onProblem?.(channelKey, problem);
  }

  /**
   * Full saves run one at a time across channels: each serializes a whole history (~10 MB of
   * JSON when full), and after a start with 50 full histories all 50 were in memory at once.
   * They wait until every history asked for is read: at start-up they would take the thread
   * from the loads still queued, which events wait for. The snapshot is taken when its turn
   * comes, so it holds everything up to then.
   */
  #queueFullSave(store: HistoryStore, channelKey: string, history: ChannelHistory): Promise<void> {
    const save = this.#fullSaves
      .then(() => this.loaded())
      .then(() => store.save(channelKey, history.snapshot()));
    this.#fullSaves = save.catch(() => {});
    return save;
  }

  async #writeDirty(force = false): Promise<void> {
    const keys = [...this.#dirty];
    this.#dirty.clear();
    await Promise.all(keys.map((key) => this.#write(key, force)));
  }

  /** Writes again once the delay after a failed write has passed. */
  #retryLater(channelKey: string, delayMs: number): void {
    const timer = this.#options.clock.setTimeout(() => {
      this.#dirty.add(channelKey);
      void this.#writeDirty();
    }, delayMs);
    timer.unref?.();
  }

  async #write(channelKey: string, force = false): Promise<void> {
    const store = this.#options.store;
    const history = this.#histories.get(channelKey);
    if (!store || !history) return;
    const previous = this.#writing.get(channelKey);
    // One write at a time per channel, in order.
    if (previous) await previous;
    // Loading first: writing before the stored file is merged would overwrite it.
    await this.#loading.get(channelKey);
    if (this.#readOnly.has(channelKey)) return;
    const pending = this.#pendingFor(channelKey);
    // After a failed write, wait out its delay (the retry timer comes back); quitting tries now.
    if (!force && pending.failures > 0 && this.#options.clock.now() < pending.retryAt) return;
    const records = pending.records;
    if (pending.cursor !== undefined) records.push({ t: 'cursor', id: pending.cursor });
    pending.cursor = undefined;
    if (records.length === 0 && !pending.full) return;
    pending.records = [];
    const full = pending.full || !store.append || pending.journaled + records.length > this.#limits.maxEvents;
    const write = (
      full
        ? this.#queueFullSave(store, channelKey, history)
        : (store.append?.(channelKey, records) ?? Promise.resolve())
    )
      .then(() => {
        if (full) {
          pending.full = !store.append;
          pending.journaled = 0;
        } else {
          pending.journaled += records.length;
        }
        if (pending.failures > 0) {
          this.#options.logger.log('info', 'history is saved again', {
            channel: channelKey,
            failedWrites: pending.failures,
          });
          pending.failures = 0;
          this.#setProblem(channelKey, undefined);
        }
      })
      .catch((error: unknown) => {
        // The journal may now miss records: the next write saves the whole history.
        pending.full = true;
        pending.records = [];
        pending.failures += 1;
        const delay = Math.min(
          MAX_RETRY_DELAY_MS,
          (this.#options.saveDelayMs ?? 1_000) * 2 ** pending.failures,
        );
        pending.retryAt = this.#options.clock.now() + delay;
        this.#retryLater(channelKey, delay);
        // Said once per episode: a disk that stays full must not fill the log too.
        if (pending.failures === 1) {
          this.#options.logger.log('error', 'could not write history', {
            channel: channelKey,
            error: String(error),
          });
          this.#setProblem(
            channelKey,
            `the history cannot be saved (${String(error)}); events are kept in memory and saving is retried`,
          );
        } else {
          this.#options.logger.log('debug', 'could not write history again', {
            channel: channelKey,
            failures: pending.failures,
          });
        }
      });
    this.#writing.set(channelKey, write);
    await write;
    if (this.#writing.get(channelKey) === write) this.#writing.delete(channelKey);
  }
}
