// Keeps every channel's history and writes it to the HistoryStore in the background:
// changes are coalesced (one write per channel per `saveDelayMs`), at most one write per
// channel is in flight, and nothing on the delivery path ever awaits the disk.

import type { Clock, HistoryStore, Logger, TimerHandle } from '../ports.ts';
import { ChannelHistory, DEFAULT_LIMITS, type HistoryLimits } from './channel-history.ts';

export interface HistoryKeeperOptions {
  readonly store?: HistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits?: HistoryLimits;
  readonly saveDelayMs?: number;
}

export class HistoryKeeper {
  readonly #histories = new Map<string, ChannelHistory>();
  readonly #dirty = new Set<string>();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #options: HistoryKeeperOptions;
  #timer: TimerHandle | undefined;

  constructor(options: HistoryKeeperOptions) {
    this.#options = options;
  }

  /** The history of a channel, created empty at once and filled from the store in the background. */
  get(channelKey: string): ChannelHistory {
    let history = this.#histories.get(channelKey);
    if (!history) {
      history = new ChannelHistory(channelKey, this.#options.limits ?? DEFAULT_LIMITS);
      this.#histories.set(channelKey, history);
      this.#loading.set(channelKey, this.#load(history));
    }
    return history;
  }

  get all(): ReadonlyMap<string, ChannelHistory> {
    return this.#histories;
  }

  /** Resolves when every history asked for so far has been read from the store. */
  async loaded(): Promise<void> {
    await Promise.all(this.#loading.values());
  }

  /** Records that a channel changed; it is written after the save delay. */
  touch(channelKey: string): void {
    if (!this.#options.store) return;
    this.#dirty.add(channelKey);
    if (this.#timer !== undefined) return;
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#writeDirty();
    }, this.#options.saveDelayMs ?? 1_000);
    this.#timer.unref?.();
  }

  /** Writes everything pending now and waits for it (on quit). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.loaded();
    await this.#writeDirty();
    await Promise.all(this.#writing.values());
  }

  async #load(history: ChannelHistory): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    try {
      const snapshot = await store.load(history.channelKey);
      if (snapshot) {
        history.restore(snapshot);
        this.touch(history.channelKey);
      }
    } catch (error) {
      this.#options.logger.log('error', 'could not read history', {
        channel: history.channelKey,
        error: String(error),
      });
    }
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
    if (previous) {
      // One write at a time per file: wait, then write the newest state.
      await previous;
    }
    // Loading first: writing before the stored file is merged would overwrite it.
    await this.#loading.get(channelKey);
    const write = store.save(channelKey, history.snapshot()).catch((error: unknown) => {
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
