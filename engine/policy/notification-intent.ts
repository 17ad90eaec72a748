// What the engine asks the desktop (or the terminal) to show. The Notifier turns it into an
// Electron Notification or a printed line; it decides nothing.

export type NotificationTarget =
  /** Open the task in the browser. */
  | { readonly kind: 'task'; readonly url: string }
  /** Open the Annotray window on this event. */
  | { readonly kind: 'event'; readonly channelKey: string; readonly eventId: string }
  /** Open the Annotray window on a channel, or on all channels. */
  | { readonly kind: 'channel'; readonly channelKey?: string };

/** What a person can do from a notification, where the platform shows buttons. */
export type NotificationAction = 'open-task' | 'mark-read';

export interface NotificationIntent {
  /** Stable per notification; a summary has its own. */
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly target: NotificationTarget;
  /** How many events it stands for: 1, or more for a burst summary. */
  readonly count: number;
  readonly eventType?: string;
  readonly channelKey?: string;
  /** Errors are shown as critical where the platform distinguishes. */
  readonly urgency: 'normal' | 'critical';
  readonly silent: boolean;
  /** Which channel and server it came from, set when more than one channel is followed. */
  readonly source?: string;
  /** The event a single-event notification stands for (for "Mark read"). */
  readonly eventId?: string;
  /** Buttons to offer where the platform has them; none means a click opens the target. */
  readonly actions?: readonly NotificationAction[];
}
