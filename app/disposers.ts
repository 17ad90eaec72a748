// What the app started, stopped in reverse order on quit: each part registers its stop as it
// is created, so start-up and shutdown cannot drift apart, and quitting twice stops once. A
// stop that fails is logged and the rest still run.

import type { Logger } from '../engine/ports.ts';

export class Disposers {
  readonly #stops: { name: string; stop: () => unknown }[] = [];
  #disposing: Promise<void> | undefined;
  #done = false;

  /** True once every stop has run: quitting may go on. */
  get done(): boolean {
    return this.#done;
  }

  add(name: string, stop: () => unknown): void {
    this.#stops.push({ name, stop });
  }

  /** Runs every stop, newest first, once; later calls wait for the same run. */
  dispose(logger: Logger): Promise<void> {
    this.#disposing ??= (async () => {
      for (const { name, stop } of this.#stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          logger.log('error', 'error while quitting', { part: name, error: String(error) });
        }
      }
      this.#done = true;
    })();
    return this.#disposing;
  }
}
