// What the tray shows, computed from AppCore's channels and pause: the overall state, the
// icon, the tooltip, the unread badge and the menu. Pure, so every combination is tested in
// Node; electron/tray.ts only hands the result to Electron's Tray and Menu.

import type { ChannelState } from '../../engine/connection/channel-state.ts';
import { clipText } from '../../engine/text/clip.ts';
import { visibleText } from '../../engine/text/visible-text.ts';
import { activePause } from '../settings/settings-model.ts';

/** The overall state, worst first: a failure needs the person, reconnecting may fix itself. */
export type TrayState = 'failed' | 'reconnecting' | 'connecting' | 'paused' | 'demo' | 'connected' | 'idle';

/** One icon per look; `connecting` shares the reconnecting icon. */
export const TRAY_ICON_NAMES = ['connected', 'reconnecting', 'failed', 'paused', 'demo', 'idle'] as const;
export type TrayIconName = (typeof TRAY_ICON_NAMES)[number];

/** Windows taskbar overlay badges: `badge-1` … `badge-9`, then `badge-9plus`. */
export const BADGE_NAMES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9plus'] as const;
export type BadgeName = (typeof BADGE_NAMES)[number];

/** Mute one channel from the tray: for an hour, until tomorrow 08:00, until unmuted; or unmute it. */
export interface MuteAction {
  readonly kind: 'mute';
  readonly channelKey: string;
  readonly mute: 'hour' | 'tomorrow' | 'indefinite' | 'unmute';
}

export type TrayAction =
  | MuteAction
  | 'open'
  | 'pause-hour'
  | 'pause-tomorrow'
  | 'pause-indefinite'
  | 'resume'
  | 'reconnect'
  | 'settings'
  | 'open-log'
  | 'about'
  | 'quit';

export type MenuItemModel =
  | { readonly type: 'separator' }
  | {
      readonly type: 'normal';
      readonly label: string;
      readonly action?: TrayAction;
      readonly enabled: boolean;
    }
  | { readonly type: 'submenu'; readonly label: string; readonly submenu: readonly MenuItemModel[] };

export interface TrayChannel {
  readonly key: string;
  readonly channel: string;
  readonly serverName: string;
  readonly state: ChannelState;
  readonly unread: number;
  /** Why the channel's history is not kept on disk (ChannelStatus.historyProblem). */
  readonly historyProblem?: string;
}

export interface TrayInput {
  readonly channels: readonly TrayChannel[];
  /** AppCore's `pause`: epoch ms, 'indefinite', or null. */
  readonly pause: number | 'indefinite' | null | undefined;
  readonly demo: boolean;
  readonly now: number;
  readonly version: string;
  /** Formats a time of day for "paused until 14:05"; injected so tests do not depend on the zone. */
  readonly formatTime: (epochMs: number) => string;
  /** Quiet hours are on now: until when (null: not within a week); undefined when they are not. */
  readonly quietUntil?: number | null;
  /** Channels muted now: key → epoch ms or 'indefinite'. */
  readonly mutes?: Readonly<Record<string, number | 'indefinite'>>;
}

export interface TrayModel {
  readonly state: TrayState;
  readonly icon: TrayIconName;
  readonly tooltip: string;
  readonly unread: number;
  /** Shown next to the icon in the macOS menu bar: the unread count, or empty. */
  readonly title: string;
  /** Windows taskbar overlay, when there is something unread. */
  readonly overlay?: { readonly badge: BadgeName; readonly description: string };
  readonly menu: readonly MenuItemModel[];
}

/** Windows truncates tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

function isPaused(pause: TrayInput['pause'], now: number): boolean {
  return (activePause(pause ?? null, now) ?? null) !== null;
}

function pauseText(input: TrayInput): string {
  if (input.pause === 'indefinite') return 'Notifications paused until resumed';
  if (typeof input.pause === 'number') return `Notifications paused until ${input.formatTime(input.pause)}`;
  return '';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function names(channels: readonly TrayChannel[]): string {
  const shown = channels.slice(0, 2).map((c) => c.channel);
  return channels.length > 2 ? `${shown.join(', ')} +${channels.length - 2}` : shown.join(', ');
}

export function trayState(
  input: Pick<TrayInput, 'channels' | 'pause' | 'demo' | 'now' | 'quietUntil'>,
): TrayState {
  const kinds = new Set(input.channels.map((c) => c.state.kind));
  if (input.channels.length === 0) return 'idle';
  if (kinds.has('failed')) return 'failed';
  if (kinds.has('reconnecting')) return 'reconnecting';
  if (kinds.has('connecting')) return 'connecting';
  // Quiet hours look like a pause: notifications stay silent, events keep arriving.
  if (isPaused(input.pause, input.now) || input.quietUntil !== undefined) return 'paused';
  if (input.demo) return 'demo';
  return 'connected';
}

const ICONS: Record<TrayState, TrayIconName> = {
  failed: 'failed',
  reconnecting: 'reconnecting',
  connecting: 'reconnecting',
  paused: 'paused',
  demo: 'demo',
  connected: 'connected',
  idle: 'idle',
};

/** One line saying how the connections are, for the tooltip and the menu's status line. */
export function connectionSummary(input: Pick<TrayInput, 'channels' | 'demo'>): string {
  const { channels } = input;
  if (channels.length === 0) return 'No server configured';
  const failed = channels.filter((c) => c.state.kind === 'failed');
  const reconnecting = channels.filter((c) => c.state.kind === 'reconnecting');
  const connecting = channels.filter((c) => c.state.kind === 'connecting');
  const first = failed[0];
  if (first && first.state.kind === 'failed') {
    return failed.length === 1
      ? `${first.channel} stopped: ${first.state.reason}`
      : `${failed.length} channels stopped: ${names(failed)}`;
  }
  if (reconnecting.length > 0) return `Reconnecting ${names(reconnecting)}`;
  if (connecting.length > 0) return `Connecting ${names(connecting)}`;
  const following = channels.filter((c) => c.state.kind !== 'paused').length;
  if (input.demo) return 'Demo: sample events, no server configured';
  return following === channels.length
    ? `${channels.length === 1 ? '1 channel' : `All ${channels.length} channels`} connected`
    : `${following} of ${plural(channels.length, 'channel')} connected`;
}

/** "Mute a channel" with one submenu per channel (unmute for a muted one), or nothing without channels. */
function muteItems(input: TrayInput): MenuItemModel[] {
  if (input.channels.length === 0 || input.demo) return [];
  const several = new Set(input.channels.map((c) => c.serverName)).size > 1;
  const entries = input.channels.slice(0, 30).map((c): MenuItemModel => {
    const name = visibleText(several ? `${c.channel} (${c.serverName})` : c.channel);
    const until = input.mutes?.[c.key];
    if (until !== undefined) {
      const when = until === 'indefinite' ? 'until unmuted' : `until ${input.formatTime(until)}`;
      return {
        type: 'submenu',
        label: `${name} — muted ${when}`,
        submenu: [
          {
            type: 'normal',
            label: 'Unmute',
            action: { kind: 'mute', channelKey: c.key, mute: 'unmute' },
            enabled: true,
          },
        ],
      };
    }
    return {
      type: 'submenu',
      label: name,
      submenu: [
        {
          type: 'normal',
          label: 'For 1 hour',
          action: { kind: 'mute', channelKey: c.key, mute: 'hour' },
          enabled: true,
        },
        {
          type: 'normal',
          label: 'Until tomorrow',
          action: { kind: 'mute', channelKey: c.key, mute: 'tomorrow' },
          enabled: true,
        },
        {
          type: 'normal',
          label: 'Until I unmute it',
          action: { kind: 'mute', channelKey: c.key, mute: 'indefinite' },
          enabled: true,
        },
      ],
    };
  });
  return [{ type: 'submenu', label: 'Mute a channel', submenu: entries }];
}

/**
 * Windows counts its tooltip limit in UTF-16 units, not the code points clipText counts: cut
 * there, but never between the halves of a surrogate pair.
 */
function clipTooltip(text: string): string {
  if (text.length <= TOOLTIP_MAX) return text;
  const cut = text.slice(0, TOOLTIP_MAX - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

export function trayModel(input: TrayInput): TrayModel {
  const state = trayState(input);
  const unread = input.channels.reduce((sum, c) => sum + Math.max(0, c.unread), 0);
  const paused = isPaused(input.pause, input.now);
  // The summary may quote a channel name or a server's reason: no control character reaches the OS.
  const summary = visibleText(connectionSummary(input));
  const unreadText = unread > 0 ? `${unread} unread` : '';
  const historyTrouble = input.channels.filter((c) => c.historyProblem !== undefined);
  const historyText =
    historyTrouble.length > 0
      ? visibleText(`History problem on ${names(historyTrouble)}: see the window`)
      : '';
  const quietText =
    input.quietUntil === undefined
      ? ''
      : input.quietUntil === null
        ? 'Quiet hours on'
        : `Quiet hours until ${input.formatTime(input.quietUntil)}`;
  const tooltip = clipTooltip(
    [
      input.demo ? 'Annotray (demo)' : 'Annotray',
      summary,
      historyText,
      unreadText,
      paused ? pauseText(input) : quietText,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  const pauseItems: MenuItemModel[] = paused
    ? [
        { type: 'normal', label: pauseText(input), enabled: false },
        { type: 'normal', label: 'Resume notifications', action: 'resume', enabled: true },
      ]
    : [
        {
          type: 'submenu',
          label: 'Pause notifications',
          submenu: [
            { type: 'normal', label: 'For 1 hour', action: 'pause-hour', enabled: true },
            { type: 'normal', label: 'Until tomorrow', action: 'pause-tomorrow', enabled: true },
            { type: 'normal', label: 'Until I resume them', action: 'pause-indefinite', enabled: true },
          ],
        },
      ];
  const menu: MenuItemModel[] = [
    { type: 'normal', label: 'Open Annotray', action: 'open', enabled: true },
    { type: 'separator' },
    // A status line in the menu too: on Linux most panels never show the tooltip.
    { type: 'normal', label: clipText(summary, 80), enabled: false },
    ...(historyText ? [{ type: 'normal', label: historyText, enabled: false } as const] : []),
    ...(unread > 0 ? [{ type: 'normal', label: `${unread} unread`, enabled: false } as const] : []),
    { type: 'separator' },
    ...pauseItems,
    ...(quietText ? [{ type: 'normal', label: quietText, enabled: false } as const] : []),
    ...muteItems(input),
    { type: 'normal', label: 'Reconnect now', action: 'reconnect', enabled: input.channels.length > 0 },
    { type: 'separator' },
    { type: 'normal', label: 'Settings…', action: 'settings', enabled: true },
    { type: 'normal', label: 'Open log file', action: 'open-log', enabled: true },
    { type: 'normal', label: `About Annotray ${input.version}`, action: 'about', enabled: true },
    { type: 'separator' },
    { type: 'normal', label: 'Quit Annotray', action: 'quit', enabled: true },
  ];
  return {
    state,
    icon: ICONS[state],
    tooltip,
    unread,
    title: unread === 0 ? '' : unread > 999 ? '999+' : String(unread),
    ...(unread > 0
      ? {
          overlay: {
            badge: unread > 9 ? '9plus' : (String(unread) as BadgeName),
            description: `${unread} unread ${unread === 1 ? 'event' : 'events'}`,
          },
        }
      : {}),
    menu,
  };
}

/** Where each platform's tray images live under the shipped `tray/` resources folder. */
export function trayIconFile(platform: string, icon: TrayIconName): string {
  // macOS: a black-and-alpha "Template" image the menu bar recolours for light and dark mode
  // (Electron picks `@2x` by itself); Windows: an .ico with every DPI size; Linux: PNG + @2x.
  if (platform === 'darwin') return `mac/${icon}Template.png`;
  if (platform === 'win32') return `win/${icon}.ico`;
  return `linux/${icon}.png`;
}

export function badgeIconFile(badge: BadgeName): string {
  return `win/badge-${badge}.png`;
}
