import { describe, expect, it } from 'vitest';
import { settingsResetIntent } from './settings-reset-intent.ts';

describe('settingsResetIntent', () => {
  it('says the settings were reset and where the unreadable file was kept, opening the window', () => {
    expect(
      settingsResetIntent({
        path: '/home/ann/.config/Annotray/settings.json',
        movedTo: '/home/ann/.config/Annotray/settings.json.corrupt-2025-01-07T14-05-00-000Z',
        reason: 'Unexpected token } in JSON at position 12',
      }),
    ).toEqual({
      id: 'settings-corrupt',
      title: 'Annotray’s settings were reset',
      body: 'The settings file could not be read. It was kept as /home/ann/.config/Annotray/settings.json.corrupt-2025-01-07T14-05-00-000Z.',
      target: { kind: 'channel' },
      count: 1,
      urgency: 'normal',
      silent: false,
    });
  });
});
