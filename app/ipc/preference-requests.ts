// What the window (and the tray) ask of the notification preferences: save them (applying
// what the OS must apply — open at login, the global shortcut), pause notifications, and mute
// or unmute one channel.

import type { SettingsDto } from '../../contract/dto.ts';
import { activeMutes, type MuteChoice, type MuteUntil, muteUntil } from '../../engine/policy/channel-mute.ts';
import { tomorrowMorning } from '../../engine/policy/preferences.ts';
import { type QuietHours, quietHoursProblem } from '../../engine/policy/quiet-hours.ts';
import type { StoredPreferences, StoredSettings } from '../settings/settings-model.ts';
import type { RequestHandlers } from './request-handlers.ts';

export type PauseKind = 'hour' | 'tomorrow' | 'indefinite' | 'resume';

export interface PreferenceRequestsContext {
  readonly settings: () => StoredSettings;
  /** Stores the preferences, hands them to the engine and tells the window and the tray. */
  readonly savePreferences: (preferences: StoredPreferences) => void;
  readonly settingsDto: () => SettingsDto;
  readonly now: () => number;
  /** Applies OS-level preferences; each returns an error message when it cannot be applied. */
  readonly system?: {
    setOpenAtLogin?(enabled: boolean): string | undefined;
    setShortcut?(accelerator: string): string | undefined;
  };
  /** The shortcut works again: the problem shown in Settings goes. */
  readonly shortcutWorks: () => void;
}

/** "Pause for an hour / until tomorrow / until I resume", or resume. */
export function pausedUntilFor(kind: PauseKind, now: number): StoredPreferences['pausedUntil'] {
  if (kind === 'hour') return now + 3_600_000;
  if (kind === 'tomorrow') return tomorrowMorning(now);
  if (kind === 'indefinite') return 'indefinite';
  return null;
}

/** The mutes after one channel is muted for a while or unmuted; expired mutes are dropped. */
export function withMute(
  mutes: StoredPreferences['mutes'],
  channelKey: string,
  mute: MuteChoice | 'unmute',
  now: number,
): Record<string, MuteUntil> {
  const next: Record<string, MuteUntil> = { ...activeMutes(mutes, now) };
  if (mute === 'unmute') delete next[channelKey];
  else next[channelKey] = muteUntil(mute, now);
  return next;
}

export function pauseNotifications(context: PreferenceRequestsContext, kind: PauseKind): SettingsDto {
  const preferences = context.settings().preferences;
  context.savePreferences({ ...preferences, pausedUntil: pausedUntilFor(kind, context.now()) });
  return context.settingsDto();
}

export function muteChannel(
  context: PreferenceRequestsContext,
  channelKey: string,
  mute: MuteChoice | 'unmute',
): SettingsDto {
  const preferences = context.settings().preferences;
  context.savePreferences({
    ...preferences,
    mutes: withMute(preferences.mutes, channelKey, mute, context.now()),
  });
  return context.settingsDto();
}

export function preferenceRequests(
  context: PreferenceRequestsContext,
): RequestHandlers<'settings:setPreferences' | 'notifications:pause' | 'channels:mute'> {
  return {
    'settings:setPreferences': async ({ preferences }) => {
      const current = context.settings().preferences;
      const errors = [];
      if (preferences.openAtLogin !== current.openAtLogin) {
        const error = context.system?.setOpenAtLogin?.(preferences.openAtLogin);
        if (error) errors.push({ field: 'openAtLogin', message: error });
      }
      if (preferences.shortcut !== current.shortcut) {
        const error = context.system?.setShortcut?.(preferences.shortcut);
        if (error) errors.push({ field: 'shortcut', message: error });
        else context.shortcutWorks();
      }
      const quietHours = preferences.quietHours as QuietHours;
      const quietProblem = quietHoursProblem(quietHours);
      if (quietProblem) errors.push({ field: 'quietHours', message: quietProblem });
      if (errors.length > 0) return { ok: false, errors };
      context.savePreferences({
        ...current,
        ...preferences,
        quietHours,
        types: { ...current.types, ...preferences.types },
      });
      return { ok: true, value: context.settingsDto() };
    },
    'notifications:pause': async ({ kind }) => pauseNotifications(context, kind),
    'channels:mute': async ({ channelKey, mute }) => muteChannel(context, channelKey, mute),
  };
}
