import { describe, expect, it } from 'vitest';
import type { ChannelState } from '../../engine/connection/channel-state.ts';
import { menuTemplate } from './tray-menu.ts';
import {
  type MenuItemModel,
  TOOLTIP_MAX,
  type TrayChannel,
  type TrayInput,
  trayIconFile,
  trayModel,
} from './tray-model.ts';

const NOW = Date.UTC(2026, 10, 23, 9);
const open: ChannelState = { kind: 'open', since: NOW, awaitingHeaders: false };
const quiet: ChannelState = { kind: 'open', since: NOW, awaitingHeaders: true };
const reconnecting: ChannelState = {
  kind: 'reconnecting',
  since: NOW,
  attempt: 2,
  nextAttemptAt: NOW + 4000,
  reason: 'the server closed the stream',
};
const failed: ChannelState = {
  kind: 'failed',
  since: NOW,
  failure: 'unauthorized',
  reason: 'the server answered 401: the token is missing or wrong',
};
const connecting: ChannelState = { kind: 'connecting', since: NOW, attempt: 0 };

const channel = (name: string, state: ChannelState, unread = 0): TrayChannel => ({
  key: `ls/${name}`,
  channel: name,
  serverName: 'LS',
  state,
  unread,
});

const input = (over: Partial<TrayInput> = {}): TrayInput => ({
  channels: [channel('user_42', open)],
  pause: null,
  demo: false,
  now: NOW,
  version: '0.1.0',
  formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
  ...over,
});

const actions = (menu: readonly MenuItemModel[]): string[] =>
  menu.flatMap((item) =>
    item.type === 'submenu'
      ? actions(item.submenu)
      : item.type === 'normal' && item.action
        ? [
            typeof item.action === 'string'
              ? item.action
              : `${item.action.kind}:${item.action.mute}:${item.action.channelKey}`,
          ]
        : [],
  );

describe('trayModel', () => {
  it('shows all connected, counting a quiet channel (headers held back) as connected', () => {
    const model = trayModel(input({ channels: [channel('user_42', open), channel('user_7', quiet)] }));
    expect(model.state).toBe('connected');
    expect(model.icon).toBe('connected');
    expect(model.tooltip).toBe('Annotray\nAll 2 channels connected');
    expect(model.title).toBe('');
    expect(model.overlay).toBeUndefined();
  });

  it('puts a failure before reconnecting, reconnecting before pause, and pause before demo', () => {
    const all = [channel('a', failed), channel('b', reconnecting), channel('c', open)];
    expect(trayModel(input({ channels: all, pause: 'indefinite' })).icon).toBe('failed');
    expect(trayModel(input({ channels: all.slice(1), pause: 'indefinite' })).icon).toBe('reconnecting');
    expect(trayModel(input({ channels: [channel('c', connecting)] }))).toMatchObject({
      state: 'connecting',
      icon: 'reconnecting',
    });
    expect(trayModel(input({ channels: all.slice(2), pause: 'indefinite', demo: true })).icon).toBe('paused');
    expect(trayModel(input({ channels: all.slice(2), demo: true })).icon).toBe('demo');
    expect(trayModel(input({ channels: [] })).icon).toBe('idle');
  });

  it('says why a channel stopped, and names the channels that reconnect', () => {
    expect(trayModel(input({ channels: [channel('user_42', failed)] })).tooltip).toContain(
      'user_42 stopped: the server answered 401',
    );
    const many = ['a', 'b', 'c', 'd'].map((n) => channel(n, reconnecting));
    expect(trayModel(input({ channels: many })).tooltip).toContain('Reconnecting a, b +2');
  });

  it('counts unread across channels for the badge, the menu-bar title and the Windows overlay', () => {
    const model = trayModel(input({ channels: [channel('a', open, 3), channel('b', open, 4)] }));
    expect(model.unread).toBe(7);
    expect(model.title).toBe('7');
    expect(model.overlay).toEqual({ badge: '7', description: '7 unread events' });
    expect(model.tooltip).toContain('7 unread');
    const lots = trayModel(input({ channels: [channel('a', open, 1200)] }));
    expect(lots.title).toBe('999+');
    expect(lots.overlay?.badge).toBe('9plus');
  });

  it('offers pause choices, or resume with the end of the pause when paused', () => {
    const running = trayModel(input());
    expect(actions(running.menu)).toEqual([
      'open',
      'pause-hour',
      'pause-tomorrow',
      'pause-indefinite',
      'mute:hour:ls/user_42',
      'mute:tomorrow:ls/user_42',
      'mute:indefinite:ls/user_42',
      'reconnect',
      'settings',
      'open-log',
      'about',
      'quit',
    ]);
    const paused = trayModel(input({ pause: NOW + 3_600_000 }));
    expect(paused.state).toBe('paused');
    expect(actions(paused.menu)).toContain('resume');
    expect(actions(paused.menu)).not.toContain('pause-hour');
    expect(paused.tooltip).toContain('Notifications paused until 10:00');
    const expired = trayModel(input({ pause: NOW - 1 }));
    expect(expired.state).toBe('connected');
    expect(actions(expired.menu)).toContain('pause-hour');
  });

  it('shows the version in About and disables Reconnect with nothing to reconnect', () => {
    const model = trayModel(input({ channels: [] }));
    expect(model.menu).toContainEqual({
      type: 'normal',
      label: 'About Annotray 0.1.0',
      action: 'about',
      enabled: true,
    });
    expect(model.menu).toContainEqual({
      type: 'normal',
      label: 'Reconnect now',
      action: 'reconnect',
      enabled: false,
    });
    expect(model.tooltip).toContain('No server configured');
  });

  it('shows quiet hours like a pause, with when they end, in the icon, the tooltip and the menu', () => {
    const model = trayModel(input({ quietUntil: NOW + 3_600_000 }));
    expect(model.icon).toBe('paused');
    const until = new Date(NOW + 3_600_000).toISOString().slice(11, 16);
    expect(model.tooltip).toContain(`Quiet hours until ${until}`);
    expect(model.menu).toContainEqual(
      expect.objectContaining({ label: `Quiet hours until ${until}`, enabled: false }),
    );
    expect(trayModel(input()).tooltip).not.toContain('Quiet');
  });

  it('mutes and unmutes a channel from the tray, showing until when it is muted', () => {
    const model = trayModel(
      input({
        channels: [channel('user_42', open), channel('team', open)],
        mutes: { 'ls/team': 'indefinite' },
      }),
    );
    const mute = model.menu.find((i) => i.type === 'submenu' && i.label === 'Mute a channel');
    expect(
      mute?.type === 'submenu' && mute.submenu.map((i) => (i.type === 'separator' ? '' : i.label)),
    ).toEqual(['user_42', 'team — muted until unmuted']);
    expect(actions(model.menu)).toEqual(
      expect.arrayContaining([
        'mute:hour:ls/user_42',
        'mute:tomorrow:ls/user_42',
        'mute:indefinite:ls/user_42',
        'mute:unmute:ls/team',
      ]),
    );
    expect(actions(model.menu)).not.toContain('mute:hour:ls/team');
  });

  it('says in the tooltip and the menu which channels have a history problem', () => {
    const troubled = { ...channel('user_42', open), historyProblem: 'permission denied reading /h/x.json' };
    const model = trayModel(input({ channels: [troubled, channel('user_7', open)] }));
    expect(model.tooltip).toContain('History problem on user_42: see the window');
    expect(model.menu).toContainEqual(
      expect.objectContaining({ label: 'History problem on user_42: see the window', enabled: false }),
    );
    expect(trayModel(input()).tooltip).not.toContain('History');
  });

  it('keeps the tooltip within the Windows limit', () => {
    const long: ChannelState = { ...failed, reason: 'x'.repeat(400) };
    expect(trayModel(input({ channels: [channel('user_42', long)] })).tooltip.length).toBeLessThanOrEqual(
      TOOLTIP_MAX,
    );
  });

  it('names the icon file each platform loads', () => {
    expect(trayIconFile('darwin', 'failed')).toBe('mac/failedTemplate.png');
    expect(trayIconFile('win32', 'failed')).toBe('win/failed.ico');
    expect(trayIconFile('linux', 'failed')).toBe('linux/failed.png');
  });
});

describe('menuTemplate', () => {
  it('maps every item and runs its action on click', () => {
    const ran: string[] = [];
    const template = menuTemplate(trayModel(input()).menu, (a) =>
      ran.push(typeof a === 'string' ? a : `${a.kind}:${a.mute}:${a.channelKey}`),
    );
    const pause = template.find((i) => i.label === 'Pause notifications');
    const hour = Array.isArray(pause?.submenu) ? pause.submenu[0] : undefined;
    (hour?.click as (() => void) | undefined)?.();
    const status = template.find((i) => i.label === '1 channel connected');
    expect(status).toEqual({ label: '1 channel connected', enabled: false });
    expect(template.filter((i) => i.type === 'separator')).toHaveLength(4);
    (template.at(-1)?.click as (() => void) | undefined)?.();
    expect(ran).toEqual(['pause-hour', 'quit']);
  });
});
