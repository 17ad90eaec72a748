// The engine's Notifier on top of native notifications. Electron drops a Notification's click
// handler when the object is garbage-collected, so every shown notification is kept until it
// is clicked or closed — bounded, because Windows and macOS keep notifications in their
// notification centres long after, without ever telling us they were dismissed.

import type { NotificationConstructorOptions } from 'electron';
import type { NotificationAction, NotificationIntent } from '../../engine/policy/notification-intent.ts';
import type { Logger, Notifier } from '../../engine/ports.ts';

/** The part of Electron's Notification used here; a fake in tests. */
export interface NotificationHandle {
  on(event: 'click' | 'close' | 'show', listener: () => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
  /** A button (NotificationIntent.actions, in order) was pressed: macOS and Windows. */
  on(
    event: 'action',
    listener: (details: { actionIndex?: number } | undefined, index?: number) => void,
  ): unknown;
  show(): void;
  close(): void;
}

export interface NativeNotifierOptions {
  readonly create: (options: NotificationConstructorOptions) => NotificationHandle;
  readonly options: (intent: NotificationIntent) => NotificationConstructorOptions;
  /** A notification was clicked (no action) or one of its buttons pressed: AppCore acts on it. */
  readonly activate: (intent: NotificationIntent, action?: NotificationAction) => void | Promise<void>;
  readonly logger: Logger;
  /** False where the OS has no notification service (e.g. Linux without a daemon). */
  readonly supported?: boolean;
  readonly maxLive?: number;
  /** Why notifications cannot be shown (undefined: they are shown again), for the window. */
  readonly onProblem?: (problem: string | undefined) => void;
}

export class NativeNotifier implements Notifier {
  readonly #options: NativeNotifierOptions;
  readonly #live = new Map<string, NotificationHandle>();
  readonly #maxLive: number;
  #shown = 0;

  constructor(options: NativeNotifierOptions) {
    this.#options = options;
    this.#maxLive = options.maxLive ?? 100;
  }

  /** Notifications currently referenced (tests, and the smoke test's view of what was shown). */
  get live(): number {
    return this.#live.size;
  }

  get shown(): number {
    return this.#shown;
  }

  notify(intent: NotificationIntent): void {
    if (this.#options.supported === false) {
      this.#options.logger.log('warn', 'notification not shown: this system has no notification service', {
        title: intent.title,
      });
      this.#options.onProblem?.(
        'Notifications cannot be shown: this desktop has no notification service (on Linux, a notification daemon such as the one of GNOME, KDE, dunst or mako). Events are still listed here.',
      );
      return;
    }
    // A summary that replaces an earlier one with the same id: one toast, not two.
    const previous = this.#live.get(intent.id);
    if (previous) {
      this.#live.delete(intent.id);
      previous.close();
    }
    let handle: NotificationHandle;
    try {
      handle = this.#options.create(this.#options.options(intent));
    } catch (error) {
      this.#options.logger.log('error', 'a notification could not be created', { error: String(error) });
      return;
    }
    this.#live.set(intent.id, handle);
    const act = (action?: NotificationAction) => {
      this.#forget(intent.id, handle);
      Promise.resolve()
        .then(() => this.#options.activate(intent, action))
        .catch((error: unknown) =>
          this.#options.logger.log('error', 'a notification click failed', { error: String(error) }),
        );
    };
    handle.on('click', () => act());
    handle.on('action', (details, index) => {
      // Electron 45 passes the index in the details; older versions as the second argument.
      const action = intent.actions?.[details?.actionIndex ?? index ?? -1];
      if (action) act(action);
    });
    handle.on('close', () => this.#forget(intent.id, handle));
    handle.on('show', () => this.#options.onProblem?.(undefined));
    handle.on('failed', (_event, error) => {
      this.#forget(intent.id, handle);
      // It was counted when show() returned; the OS said no afterwards (macOS: unsigned app
      // or notifications switched off for Annotray).
      this.#shown -= 1;
      this.#options.logger.log('warn', 'the system refused a notification', { error });
      this.#options.onProblem?.(
        `The system refused to show a notification (${error}). Allow notifications for Annotray in the system settings; events are still listed here.`,
      );
    });
    handle.show();
    this.#shown += 1;
    while (this.#live.size > this.#maxLive) {
      // The oldest is long gone from the screen; only its entry in the notification centre
      // remains, and clicking that one brings the app forward without our handler.
      const oldest = this.#live.keys().next().value;
      if (oldest === undefined) break;
      this.#live.delete(oldest);
    }
  }

  #forget(id: string, handle: NotificationHandle): void {
    if (this.#live.get(id) === handle) this.#live.delete(id);
  }
}
