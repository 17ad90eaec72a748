// Window updates go out at most every 100 ms: a burst of 10,000 events is a few messages, and
// the channel list (unread counts) is sent once per batch, not once per event.

import type { EventDto } from '../contract/dto.ts';
import type { Clock, TimerHandle } from '../engine/ports.ts';

export const PUSH_INTERVAL_MS = 100;

export interface PushBatcherOptions {
  readonly clock: Clock;
  readonly pushEvents: (batch: readonly EventDto[]) => void;
  /** The channel list changed since the last batch: send it (and tell the tray). */
  readonly pushChannels: () => void;
}

export class PushBatcher {
  readonly #options: PushBatcherOptions;
  #events: EventDto[] = [];
  #channelsChanged = false;
  #timer: TimerHandle | undefined;

  constructor(options: PushBatcherOptions) {
    this.#options = options;
  }

  /** A new event: listed in the next batch, with the channel list (its unread count changed). */
  event(dto: EventDto): void {
    this.#events.push(dto);
    this.channelsChanged();
  }

  channelsChanged(): void {
    this.#channelsChanged = true;
    if (this.#timer !== undefined) return;
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, PUSH_INTERVAL_MS);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    if (this.#events.length > 0) {
      const batch = this.#events;
      this.#events = [];
      this.#options.pushEvents(batch);
    }
    if (this.#channelsChanged) {
      this.#channelsChanged = false;
      this.#options.pushChannels();
    }
  }
}
