// Settings that could not be read start over from the defaults (settings-store.ts keeps the
// old file aside). Annotray says so once, at start, with a notification naming where the old
// file went, so a reset is never silent.

import type { NotificationIntent } from '../../engine/policy/notification-intent.ts';
import type { CorruptSettingsReport } from './settings-store.ts';

export function settingsResetIntent(report: CorruptSettingsReport): NotificationIntent {
  return {
    id: 'settings-corrupt',
    title: 'Annotray’s settings were reset',
    body: `The settings file could not be read. It was kept as ${report.movedTo}.`,
    target: { kind: 'channel' },
    count: 1,
    urgency: 'normal',
    silent: false,
  };
}
