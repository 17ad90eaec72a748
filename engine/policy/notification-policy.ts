// Decides, for every new event, whether it becomes a notification: the per-type switches,
// channel mutes, pause, quiet hours, errors-always, and burst coalescing so that a batch of 500
// events gives a couple of notifications and one summary instead of 500 toasts.

import type { OcrEvent } from '../events/ocr-event.ts';
import type { Clock, Notifier, TimerHandle } from '../ports.ts';
import { isMuted } from './channel-mute.ts';
import type { NotificationIntent } from './notification-intent.ts';
import { ERROR_EVENT_TYPE, isPaused, type NotificationPreferences, typeEnabled } from './preferences.ts';
import { isQuiet } from './quiet-hours.ts';

export type PolicyDecision = 'notified' | 'coalesced' | 'disabled' | 'muted' | 'paused' | 'quiet';

/**
 * Why nothing may notify now for `channelKey` (muted, paused, quiet hours), or undefined when
 * it may. Errors and lost-connection alerts pass anyway when errors always notify.
 */
export function silencedBy(
  prefs: NotificationPreferences,
  channelKey: string | undefined,
  now: number,
): 'muted' | 'paused' | 'quiet' | undefined {
  if (channelKey !== undefined && isMuted(prefs.mutes, channelKey, now)) return 'muted';
  if (isPaused(prefs, now)) return 'paused';
  if (isQuiet(prefs.quietHours, now)) return 'quiet';
  return undefined;
}

interface Held {
  count: number;
  errors: number;
  readonly channels: Map<string, string>;
  readonly types: Map<string, number>;
  last?: OcrEvent;
}

const PLURALS: Record<string, [string, string]> = {
  'ocr.task.assigned': ['task assigned', 'tasks assigned'],
  'ocr.annotation.started': ['annotation in progress', 'annotations in progress'],
  'ocr.annotation.completed': ['annotation completed', 'annotations completed'],
  'ocr.batch.processed': ['batch processed', 'batches processed'],
  'ocr.error.occurred': ['error', 'errors'],
};

export class NotificationPolicy {
  #preferences: NotificationPreferences;
  readonly #clock: Clock;
  readonly #notifier: Notifier;
  #windowEnds: number | undefined;
  #inWindow = 0;
  #held: Held | undefined;
  #timer: TimerHandle | undefined;
  #summaries = 0;
  /** Channel key → "user_42 · Label Studio", when more than one channel is followed. */
  #sources: ReadonlyMap<string, string> = new Map();

  constructor(preferences: NotificationPreferences, clock: Clock, notifier: Notifier) {
    this.#preferences = preferences;
    this.#clock = clock;
    this.#notifier = notifier;
  }

  get preferences(): NotificationPreferences {
    return this.#preferences;
  }

  setPreferences(preferences: NotificationPreferences): void {
    this.#preferences = preferences;
  }

  /** Names each notification's channel and server (empty when only one channel is followed). */
  setSources(sources: ReadonlyMap<string, string>): void {
    this.#sources = sources;
  }

  /** Called once per new (deduplicated) event. */
  offer(event: OcrEvent): PolicyDecision {
    const prefs = this.#preferences;
    const now = this.#clock.now();
    const isError = event.type === ERROR_EVENT_TYPE;
    const always = isError && prefs.errorsAlwaysNotify;
    if (!always && !typeEnabled(prefs, event.type)) return 'disabled';
    const silenced = always ? undefined : silencedBy(prefs, event.channelKey, now);
    if (silenced) return silenced;

    if (this.#windowEnds === undefined || now >= this.#windowEnds) this.#openWindow(now);
    if (this.#inWindow < prefs.maxIndividual) {
      this.#inWindow += 1;
      this.#notifier.notify(this.#single(event));
      return 'notified';
    }
    this.#hold(event);
    return 'coalesced';
  }

  /** Sends what is held now (the window closed) and releases the timer. */
  flush(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = this.#held;
    this.#held = undefined;
    if (!held) {
      this.#windowEnds = undefined;
      return;
    }
    // A burst that is still going keeps being summarized, one notification per window.
    const now = this.#clock.now();
    this.#windowEnds = now + this.#preferences.burstWindowMs;
    this.#inWindow = this.#preferences.maxIndividual;
    this.#arm();
    this.#notifier.notify(held.count === 1 && held.last ? this.#single(held.last) : this.#summary(held));
  }

  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #openWindow(now: number): void {
    this.#windowEnds = now + this.#preferences.burstWindowMs;
    this.#inWindow = 0;
    this.#arm();
  }

  #arm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    const delay = Math.max(0, (this.#windowEnds ?? 0) - this.#clock.now());
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#held) this.flush();
      else this.#windowEnds = undefined;
    }, delay);
    this.#timer.unref?.();
  }

  #hold(event: OcrEvent): void {
    if (!this.#held) this.#held = { count: 0, errors: 0, channels: new Map(), types: new Map() };
    const held = this.#held;
    held.count += 1;
    if (event.type === ERROR_EVENT_TYPE) held.errors += 1;
    held.channels.set(event.channelKey, event.channel);
    held.types.set(event.type, (held.types.get(event.type) ?? 0) + 1);
    held.last = event;
  }

  #single(event: OcrEvent): NotificationIntent {
    const source = this.#sources.get(event.channelKey);
    return {
      id: `event:${event.id}`,
      title: event.title,
      body: event.body,
      target: event.taskUrl
        ? { kind: 'task', url: event.taskUrl }
        : { kind: 'event', channelKey: event.channelKey, eventId: event.id },
      count: 1,
      eventType: event.type,
      channelKey: event.channelKey,
      urgency: event.type === ERROR_EVENT_TYPE ? 'critical' : 'normal',
      silent: !this.#preferences.sound,
      eventId: event.id,
      actions: event.taskUrl ? ['open-task', 'mark-read'] : ['mark-read'],
      ...(source !== undefined ? { source } : {}),
    };
  }

  #summary(held: Held): NotificationIntent {
    this.#summaries += 1;
    const channels = [...held.channels.entries()];
    const only = channels.length === 1 ? channels[0] : undefined;
    const where = only ? `on ${only[1]}` : `on ${channels.length} channels`;
    const parts = [...held.types.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => {
        const [one, many] = PLURALS[type] ?? ['other event', 'other events'];
        return `${n} ${n === 1 ? one : many}`;
      });
    return {
      id: `summary:${this.#summaries}`,
      title: `${held.count} new events ${where}`,
      body: parts.join(', '),
      target: { kind: 'channel', ...(only ? { channelKey: only[0] } : {}) },
      count: held.count,
      ...(only ? { channelKey: only[0] } : {}),
      ...(only && this.#sources.has(only[0]) ? { source: this.#sources.get(only[0]) as string } : {}),
      urgency: held.errors > 0 ? 'critical' : 'normal',
      silent: !this.#preferences.sound,
    };
  }
}
