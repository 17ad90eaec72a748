// NotificationIntent (what the engine wants shown) → the options of Electron's Notification,
// per platform. Pure: which field each OS honours is decided here and tested in Node.

import { hash } from 'node:crypto';
import type { NotificationConstructorOptions } from 'electron';
import type { NotificationAction, NotificationIntent } from '../../engine/policy/notification-intent.ts';
import { clipText } from '../../engine/text/clip.ts';
import { visibleText } from '../../engine/text/visible-text.ts';

export interface NotificationContext {
  readonly platform: string;
  /** The app icon (PNG); Linux and Windows show it, macOS always uses the app's own. */
  readonly iconPath?: string;
}

/** macOS and Windows cut long text themselves, but a 10 kB body still costs a toast's layout. */
const TITLE_MAX = 120;
const BODY_MAX = 400;

export const ACTION_LABELS: Record<NotificationAction, string> = {
  'open-task': 'Open task',
  'mark-read': 'Mark read',
};

/** A short, stable id per channel: Windows limits a toast group to 64 characters. */
export function notificationGroup(channelKey: string): string {
  return `ch-${hash('sha1', channelKey).slice(0, 16)}`;
}

export function notificationOptions(
  intent: NotificationIntent,
  context: NotificationContext,
): NotificationConstructorOptions {
  const critical = intent.urgency === 'critical';
  const source = intent.source !== undefined ? clipText(visibleText(intent.source), TITLE_MAX) : undefined;
  const body = clipText(visibleText(intent.body), BODY_MAX);
  const options: NotificationConstructorOptions = {
    title: clipText(visibleText(intent.title), TITLE_MAX),
    // macOS shows where it came from as a subtitle; elsewhere it is the body's last line.
    body: source !== undefined && context.platform !== 'darwin' ? `${body}\n${source}` : body,
    silent: intent.silent,
  };
  if (context.platform === 'darwin' && source !== undefined) options.subtitle = source;
  if ((context.platform === 'darwin' || context.platform === 'win32') && intent.actions?.length) {
    // Linux notification servers differ in what they do with actions: a click opens the target.
    options.actions = intent.actions.map((action) => ({ type: 'button', text: ACTION_LABELS[action] }));
  }
  if (context.platform !== 'darwin' && context.iconPath) options.icon = context.iconPath;
  if (context.platform === 'linux') {
    // Only libnotify knows urgency; a critical notification stays until dismissed there.
    options.urgency = critical ? 'critical' : 'normal';
  }
  if (context.platform === 'linux' || context.platform === 'win32') {
    // An OCR error should not vanish while the annotator looks away; the rest may.
    options.timeoutType = critical ? 'never' : 'default';
  }
  if ((context.platform === 'darwin' || context.platform === 'win32') && intent.channelKey) {
    options.groupId = notificationGroup(intent.channelKey);
  }
  return options;
}
