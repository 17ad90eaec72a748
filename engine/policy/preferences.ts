// The annotator's notification preferences. Kept as plain data so the app can store them
// in electron-store and the CLI can take them from flags.

import { OCR_EVENT_TYPES } from '../events/ocr-event.ts';
import type { ChannelMutes } from './channel-mute.ts';
import { QUIET_HOURS_OFF, type QuietHours } from './quiet-hours.ts';

/** Per-type switch; `other` covers every type Annotray does not know. */
export type TypeSwitches = Readonly<Record<string, boolean>>;

export interface NotificationPreferences {
  readonly types: TypeSwitches;
  /** `ocr.error.occurred` notifies even when its switch is off or notifications are paused. */
  readonly errorsAlwaysNotify: boolean;
  readonly sound: boolean;
  /** Epoch ms until which notifications are paused; `Infinity` until resumed; undefined when not paused. */
  readonly pausedUntil?: number;
  /** Burst coalescing: at most `maxIndividual` notifications per window, then one summary. */
  readonly burstWindowMs: number;
  readonly maxIndividual: number;
  /** A weekly schedule of silence (see quiet-hours.ts). */
  readonly quietHours: QuietHours;
  /** Channels whose events are listed but do not notify, and until when. */
  readonly mutes: ChannelMutes;
  /**
   * Notify once when a channel has been unable to connect for this long (and once more when it
   * is back); null: never. A channel that stops for a reason retrying cannot fix always says so.
   */
  readonly unreachableAlertMs: number | null;
}

export const DEFAULT_UNREACHABLE_ALERT_MS = 2 * 60 * 1000;

export const ERROR_EVENT_TYPE = 'ocr.error.occurred';

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  types: Object.fromEntries([...OCR_EVENT_TYPES.map((t) => [t, true] as const), ['other', true] as const]),
  errorsAlwaysNotify: true,
  sound: true,
  burstWindowMs: 4_000,
  maxIndividual: 2,
  quietHours: QUIET_HOURS_OFF,
  mutes: {},
  unreachableAlertMs: DEFAULT_UNREACHABLE_ALERT_MS,
};

/** Whether events of this type notify at all, before pause and coalescing. */
export function typeEnabled(preferences: NotificationPreferences, type: string): boolean {
  return preferences.types[type] ?? preferences.types.other ?? true;
}

export function isPaused(preferences: NotificationPreferences, now: number): boolean {
  return preferences.pausedUntil !== undefined && now < preferences.pausedUntil;
}

/** "Until tomorrow" means until 08:00 local time on the next day. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}
