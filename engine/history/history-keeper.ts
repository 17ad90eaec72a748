// Keeps every channel's history and writes it to the HistoryStore in the background:
// changes are coalesced (one write per channel per `saveDelayMs`), at most one write per
// channel is in flight, and nothing on the delivery path ever awaits the disk. Writes are
// small appends of what changed; a full save (which serializes the whole history) happens
// only after loading and once the journal holds as many records as the history holds events.

import type { Clock, HistoryStore, Logger, TimerHandle } from '../ports.ts';
import { ChannelHistory, DEFAULT_LIMITS, type HistoryLimits, type HistoryRecord } from './channel-history.ts';

export interface HistoryKeeperOptions {
  readonly store?: HistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits?: HistoryLimits;
  readonly saveDelayMs?: number;
}

interface Pending {
  records: HistoryRecord[];
  /** The next write must be a full save (after a load, a failed write, or a store without append). */
  full: boolean;
  /** Records appended since the last full save. */
  journaled: number;
}

export class HistoryKeeper {
  readonly #histories = new Map<string, ChannelHistory>();
  readonly #pending = new Map<string, Pending>();
  readonly #dirty = new Set<string>();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #loading = new Map<string, Promise<void>>();
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
      this.#loading.set(channelKey, this.#load(history));
    }
    return history;
  }

  get all(): ReadonlyMap<string, ChannelHistory> {
    return this.#histories;
  }

  /** Resolves when one channel's stored history has been read (at once without a store). */
  async loadedFor(channelKey: string): Promise<void> {
    this.get(channelKey);
    await this.#loading.get(channelKey);
  }

  /** Resolves when every history asked for so far has been read from the store. */
  async loaded(): Promise<void> {
    await Promise.all(this.#loading.values());
  }

  /** Records a change to a channel (already applied to its history); it is written after the save delay. */
  record(channelKey: string, record: HistoryRecord): void {
    if (!this.#options.store) return;
    this.#pendingFor(channelKey).records.push(record);
    this.#schedule(channelKey);
  }

  /** Writes everything pending now and waits for it (on quit). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.loaded();
    await this.#writeDirty();
    await Promise.all(this.#writing.values());
  }

  get #limits(): HistoryLimits {
    return this.#options.limits ?? DEFAULT_LIMITS;
  }

  #pendingFor(channelKey: string): Pending {
    let pending = this.#pending.get(channelKey);
    if (!pending) {
      pending = { records: [], full: !this.#options.store?.append, journaled: 0 };
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

  async #load(history: ChannelHistory): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    try {
      const snapshot = await store.load(history.channelKey);
      if (snapshot) {
        history.restore(snapshot);
        // What arrived before the load finished is in the merged history: save it whole once.
        this.#pendingFor(history.channelKey).full = true;
        this.#schedule(history.channelKey);
      }
    } catch (error) {
      this.#options.logger.log('error', 'could not read history', {
        channel: history.channelKey,
        error: String(error),
      });
    }
  }

  /**
   * Full saves run one at a time across channels: each serializes a whole history (~10 MB of
   * JSON when full), and after a start with 50 full histories all 50 were in memory at once.
   * The snapshot is taken when its turn comes, so it holds everything up to then.
   */
  #queueFullSave(store: HistoryStore, channelKey: string, history: ChannelHistory): Promise<void> {
    const save = this.#fullSaves.then(() => store.save(channelKey, history.snapshot()));
    this.#fullSaves = save.catch(() => {});
    return save;
  }

  async #writeDirty(): Promise<void> {
    const keys = [...this.#dirty];
    this.#dirty.clear();
    await Promise.all(keys.map((key) => this.#write(key)));
  }

  async #write(channelKey: string): Promise<void> {
    const store = this.#options.store;
    const history = this.#histories.get(channelKey);
    if (!store || !history) return;
    const previous = this.#writing.get(channelKey);
    // One write at a time per channel, in order.
    if (previous) await previous;
    // Loading first: writing before the stored file is merged would overwrite it.
    await this.#loading.get(channelKey);
    const pending = this.#pendingFor(channelKey);
    const records = pending.records;
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
      })
      .catch((error: unknown) => {
        // The journal may now miss records: the next write saves the whole history.
        pending.full = true;
        this.#schedule(channelKey);
        this.#options.logger.log('error', 'could not write history', {
          channel: channelKey,
          error: String(error),
        });
      });
    this.#writing.set(channelKey, write);
    await write;
    if (this.#writing.get(channelKey) === write) this.#writing.delete(channelKey);
  }
}
