// Notices the network coming back. Electron's main process has no 'online' event, and the
// window may not exist; Chromium's net.isOnline() is a cheap local check (no traffic), so it
// is read every 10 s (an unref'd timer, not a busy loop). An offline → online transition
// reconnects every channel at once; without it, the engine's backoff would still get there
// within its 60 s cap.

import type { Clock, TimerHandle } from '../../engine/ports.ts';

export interface OnlineWatcherOptions {
  readonly isOnline: () => boolean;
  readonly onOnline: () => void;
  readonly onOffline?: () => void;
  readonly clock: Clock;
  readonly intervalMs?: number;
}

export class OnlineWatcher {
  readonly #options: OnlineWatcherOptions;
  #online: boolean | undefined;
  #timer: TimerHandle | undefined;

  constructor(options: OnlineWatcherOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#online = this.#options.isOnline();
    this.#schedule();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#check();
      this.#schedule();
    }, this.#options.intervalMs ?? 10_000);
    this.#timer.unref?.();
  }

  #check(): void {
    const online = this.#options.isOnline();
    if (online === this.#online) return;
    this.#online = online;
    if (online) this.#options.onOnline();
    else this.#options.onOffline?.();
  }
}
