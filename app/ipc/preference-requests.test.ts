import { describe, expect, it } from 'vitest';
import type { SettingsDto } from '../../contract/dto.ts';
import { DEFAULT_SETTINGS, type StoredSettings } from '../settings/settings-model.ts';
import { type PreferenceRequestsContext, preferenceRequests } from './preference-requests.ts';

const NOW = Date.UTC(2026, 11, 2, 10, 0);

function setup(
  system?: PreferenceRequestsContext['system'],
  mutes: Record<string, number | 'indefinite'> = {},
) {
  let settings: StoredSettings = {
    ...DEFAULT_SETTINGS,
    preferences: { ...DEFAULT_SETTINGS.preferences, mutes },
  };
  let shortcutFixed = 0;
  const context: PreferenceRequestsContext = {
    settings: () => settings,
    savePreferences: (preferences) => {
      settings = { ...settings, preferences };
    },
    settingsDto: () => ({}) as SettingsDto,
    now: () => NOW,
    ...(system ? { system } : {}),
    shortcutWorks: () => {
      shortcutFixed += 1;
    },
  };
  return {
    handlers: preferenceRequests(context),
    settings: () => settings,
    shortcutFixed: () => shortcutFixed,
  };
}

describe('preference requests', () => {
  it('muting a channel keeps the other channels muted and forgets mutes that ran out', async () => {
    // Stored earlier: one channel muted for another minute, one whose hour is over.
    const t = setup(undefined, { 'a/one': NOW + 60_000, 'a/old': NOW - 1 });
    await t.handlers['channels:mute']({ channelKey: 'a/two', mute: 'hour' });
    expect(t.settings().preferences.mutes).toEqual({ 'a/one': NOW + 60_000, 'a/two': NOW + 3_600_000 });
    await t.handlers['channels:mute']({ channelKey: 'a/one', mute: 'unmute' });
    expect(t.settings().preferences.mutes).toEqual({ 'a/two': NOW + 3_600_000 });
  });

  it('pausing for an hour resumes an hour from now, and resume clears the pause', async () => {
    const t = setup();
    await t.handlers['notifications:pause']({ kind: 'hour' });
    expect(t.settings().preferences.pausedUntil).toBe(NOW + 3_600_000);
    await t.handlers['notifications:pause']({ kind: 'resume' });
    expect(t.settings().preferences.pausedUntil).toBeNull();
  });

  it('a shortcut the OS refuses is reported on its field and nothing is saved', async () => {
    const t = setup({ setShortcut: () => 'another app holds Ctrl+Shift+A' });
    const before = t.settings();
    const { types, errorsAlwaysNotify, sound, openAtLogin, quietHours, unreachableAlertMinutes } =
      before.preferences;
    const result = await t.handlers['settings:setPreferences']({
      preferences: {
        types,
        errorsAlwaysNotify,
        sound,
        openAtLogin,
        unreachableAlertMinutes,
        quietHours: { ...quietHours, days: [...quietHours.days], allDay: [...quietHours.allDay] },
        shortcut: 'Ctrl+Shift+A',
      },
    });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'shortcut', message: 'another app holds Ctrl+Shift+A' }],
    });
    expect(t.settings()).toBe(before);
    expect(t.shortcutFixed()).toBe(0);
  });
});
