// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gapText } from '../format/time-text.ts';
import { bridgeWith, channel, event, gap, NOW, settings, snapshot } from '../test-support/fake-bridge.ts';
import { renderApp } from '../test-support/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const region = (name: string | RegExp) => screen.findByRole('region', { name });

describe('the window explains its state', () => {
  it('says when it is not running inside Annotray', async () => {
    renderApp(undefined);
    expect(await region('Annotray is not available')).toBeTruthy();
  });

  it('labels the demo feed and offers to add a server', async () => {
    renderApp(
      bridgeWith({
        snapshot: snapshot({
          demo: true,
          channels: [channel('user_demo', { key: 'demo/user_demo', serverId: 'demo', serverName: 'Demo' })],
          settings: settings({ servers: [] }),
        }),
      }),
    );
    expect(await screen.findByRole('status', { name: 'Demo feed' })).toBeTruthy();
    expect(screen.getByText('Demo', { selector: '.pill-demo' })).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: /Add a server/ })[0] as HTMLElement);
    expect(await screen.findByRole('form', { name: 'Add a server' })).toBeTruthy();
  });

  it('without a server says so and what to do', async () => {
    renderApp(bridgeWith({ snapshot: snapshot({ channels: [], settings: settings({ servers: [] }) }) }));
    const state = await region('No server configured');
    expect(within(state).getByRole('button', { name: /Add a server/ })).toBeTruthy();
  });

  it('when every channel failed shows the reason and a retry', async () => {
    const failed = {
      kind: 'failed',
      since: NOW,
      failure: 'auth',
      reason: 'the server answered 401: the token is missing or wrong',
    } as const;
    const bridge = bridgeWith({
      snapshot: snapshot({ channels: [channel('user_42', { state: failed as never })] }),
    });
    bridge.handlers['channels:reconnect'] = () => ({ reconnecting: 1 });
    renderApp(bridge);
    const alert = await screen.findByRole('alert', { name: 'The channel has failed' });
    expect(alert.textContent).toContain('401');
    expect(screen.getByText(/the server answered 401/, { selector: '.channel-state' })).toBeTruthy();
    fireEvent.click(within(alert).getByRole('button', { name: /Retry/ }));
    await waitFor(() => expect(bridge.callsTo('channels:reconnect')).toEqual([{ channelKey: null }]));
  });

  it('shows the proxy advice of a channel whose quiet stream keeps being cut, with the fix', async () => {
    const advice =
      'a proxy closes this quiet stream about every 60 s; raise nginx `proxy_read_timeout` or send a `: ping`';
    renderApp(bridgeWith({ snapshot: snapshot({ channels: [channel('user_42', { advice })] }) }));
    const banner = await screen.findByRole('status', {
      name: 'A proxy keeps closing the quiet stream of user_42',
    });
    expect(banner.textContent).toContain('proxy_read_timeout');
  });

  it('on an empty channel says it is listening', async () => {
    renderApp(bridgeWith({}));
    const state = await region('No events yet');
    expect(state.textContent).toContain('listening on your channels');
  });

  it('counts down a reconnect and marks a quiet channel as healthy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    renderApp(
      bridgeWith({
        snapshot: snapshot({
          channels: [
            channel('user_42', {
              state: {
                kind: 'reconnecting',
                since: NOW,
                attempt: 1,
                nextAttemptAt: NOW + 9_000,
                reason: 'the stream ended',
              },
            }),
            channel('user_7', { state: { kind: 'open', since: NOW, awaitingHeaders: true } }),
          ],
        }),
      }),
    );
    expect(await screen.findByText('Reconnecting in 9 s')).toBeTruthy();
    expect(screen.getByRole('img', { name: /Connected · quiet/ })).toBeTruthy();
  });
});

describe('the event list', () => {
  const events = [
    event({
      id: 'err',
      type: 'ocr.error.occurred',
      title: 'OCR error: <img src=x onerror=alert(1)>',
      body: '<b>not bold</b>',
      time: NOW - 60_000,
      taskUrl: undefined,
    }),
    event({
      id: 'started',
      type: 'ocr.annotation.started',
      title: 'Task 7 in progress (6/14): invoice.pdf',
      documentName: 'invoice.pdf',
      progress: { done: 6, total: 14, ratio: 6 / 14 },
      time: NOW - 120_000,
      unread: false,
    }),
  ];

  it('shows event text as text, with type, document, progress, unread marks and gaps', async () => {
    const closed = gap({ from: NOW - 90_000, to: NOW - 80_000 });
    const { container } = renderApp(bridgeWith({ events, gaps: [closed] }));
    expect(await screen.findByText('OCR error: <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(screen.getByText('<b>not bold</b>')).toBeTruthy();
    expect(container.querySelector('img, b')).toBeNull();
    expect(screen.getByText('6/14 · 43%')).toBeTruthy();
    expect(container.querySelectorAll('.event-row.unread')).toHaveLength(1);
    expect(screen.getByText(gapText(closed))).toBeTruthy();
    expect(container.querySelector('.row-gap')?.previousElementSibling?.className).toContain('row-event');
  });

  it('filters by type, text and unread, and says how many events the filters hide', async () => {
    renderApp(bridgeWith({ events }));
    fireEvent.click(await screen.findByRole('button', { name: 'OCR error: 1' }));
    expect(await screen.findByText('1 of 2 events hidden by filters')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search events'), { target: { value: 'nothing like this' } });
    expect(await region('No events match these filters')).toBeTruthy();
    expect(screen.getByText(/2 of 2 events hidden by filters: type hides 1, search hides 2/)).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'Clear filters' })[0] as HTMLElement);
    fireEvent.click(screen.getByRole('button', { name: 'Unread only: 1' }));
    expect(await screen.findByText('1 of 2 events hidden by filters')).toBeTruthy();
  });

  it('marks one read and all read through main, and opens tasks through main', async () => {
    const bridge = bridgeWith({
      snapshot: snapshot({ channels: [channel('user_42', { unread: 1 })] }),
      events: [event({ id: 'a', title: 'Task 3 assigned', taskId: 3 })],
    });
    bridge.handlers['events:markRead'] = () => ({ changed: 1 });
    bridge.handlers['events:markAllRead'] = () => ({ changed: 1 });
    bridge.handlers['task:open'] = () => ({ opened: false, reason: 'ftp: links are never opened' });
    renderApp(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Mark read: Task 3 assigned' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mark all read in every channel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open task 3 in the browser' }));
    await waitFor(() => expect(bridge.callsTo('task:open')).toHaveLength(1));
    expect(bridge.callsTo('events:markRead')).toEqual([{ channelKey: 'ls/user_42', eventIds: ['a'] }]);
    expect(bridge.callsTo('events:markAllRead')).toEqual([{ channelKey: null }]);
    expect(await screen.findByText('The task was not opened: ftp: links are never opened')).toBeTruthy();
  });

  it('opens the detail with the payload and copies it', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const bridge = bridgeWith({
      events: [
        event({
          id: 'a',
          title: 'Task 3 assigned',
          taskId: 3,
          unread: false,
          payloadText: '{\n  "task_id": 3\n}',
        }),
      ],
    });
    renderApp(bridge);
    fireEvent.click(await screen.findByText('Task 3 assigned', { selector: 'button' }));
    const detail = await screen.findByRole('complementary', { name: 'Event details' });
    expect(within(detail).getByText(/"task_id": 3/).tagName).toBe('PRE');
    fireEvent.click(within(detail).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('{\n  "task_id": 3\n}'));
    expect(await within(detail).findByText('Copied')).toBeTruthy();
    fireEvent.keyDown(detail, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull());
  });

  it('moves through channels and events with the arrow keys; Enter opens an event', async () => {
    const bridge = bridgeWith({
      snapshot: snapshot({ channels: [channel('user_42'), channel('user_7')] }),
      events: [
        event({ id: 'a', title: 'First', unread: false }),
        event({ id: 'b', title: 'Second', unread: false }),
      ],
    });
    renderApp(bridge);
    const all = await screen.findByRole('button', { name: /All channels/ });
    all.focus();
    fireEvent.keyDown(all, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toContain('user_42');
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'End' });
    expect(document.activeElement?.textContent).toContain('Settings');

    const first = await screen.findByText('First', { selector: 'button' });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Second'));
    fireEvent.click(document.activeElement as HTMLElement);
    expect(await screen.findByRole('complementary', { name: 'Event details' })).toBeTruthy();
  });

  it('shows events pushed by main as they arrive', async () => {
    const bridge = bridgeWith({ events: [] });
    renderApp(bridge);
    await region('No events yet');
    act(() =>
      bridge.push('push:events', [event({ id: 'live', title: 'Task 99 assigned', time: Date.now() })]),
    );
    expect(await screen.findByText('Task 99 assigned')).toBeTruthy();
  });
});

describe('settings', () => {
  async function openSettings(bridge = bridgeWith({})) {
    renderApp(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    return bridge;
  }

  it('never shows the token: a password field and the last characters only', async () => {
    await openSettings();
    expect(await screen.findByText(/Token ••••wxyz/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Edit Label Studio' }));
    const token = (await screen.findByLabelText('Token')) as HTMLInputElement;
    expect(token.type).toBe('password');
    expect(token.value).toBe('');
    expect(token.placeholder).toContain('wxyz');
  });

  it('says so when a server was removed but the channel list could not be loaded again', async () => {
    const bridge = bridgeWith({});
    const first = bridge.handlers['app:snapshot'];
    let snapshots = 0;
    bridge.handlers['app:snapshot'] = (request) => {
      snapshots += 1;
      if (snapshots > 1) throw new Error('main is busy');
      return first ? first(request) : snapshot();
    };
    bridge.handlers['settings:removeServer'] = () => settings({ servers: [] });
    await openSettings(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Label Studio' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'The server was removed, but the window could not load the new channel list: main is busy',
    );
  });

  it('shows main’s validation messages next to their fields', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['settings:saveServer'] = () => ({
      ok: false,
      errors: [
        { field: 'url', message: 'the server URL must start with http:// or https://' },
        { field: 'channels', message: 'add at least one channel' },
        { field: 'form', message: 'this server was removed meanwhile' },
      ],
    });
    await openSettings(bridge);
    fireEvent.click(await screen.findByRole('button', { name: /Add a server/ }));
    fireEvent.change(screen.getByLabelText('Server URL'), { target: { value: 'ftp://x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    const url = (await screen.findByLabelText('Server URL')) as HTMLInputElement;
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = url.getAttribute('aria-describedby') ?? '';
    const messages = describedBy.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(messages).toContain('the server URL must start with http:// or https://');
    expect(screen.getByText('add at least one channel')).toBeTruthy();
    expect(screen.getByText('this server was removed meanwhile')).toBeTruthy();
    expect(bridge.callsTo('settings:saveServer')).toEqual([
      {
        server: {
          name: '',
          url: 'ftp://x',
          eventsPath: '',
          taskUrl: '',
          channels: [],
          authScheme: 'auto',
          idleRefreshSeconds: 300,
        },
      },
    ]);
  });

  it('tests the connection and shows every check with its fix', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['settings:testConnection'] = () => ({
      ok: true,
      value: {
        url: 'https://ls.example.com/api/notifications/events/user_42',
        verdict: 'fail',
        checks: [
          { id: 'tcp', status: 'ok', title: 'TCP: connected', detail: '127.0.0.1:443' },
          {
            id: 'auth',
            status: 'fail',
            title: 'Authentication: 401',
            detail: 'The token was refused.',
            fix: 'Paste a new token.',
          },
        ],
      },
    });
    await openSettings(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Label Studio' }));
    fireEvent.click(screen.getByRole('button', { name: /Test connection/ }));
    const report = await region('Connection test result');
    expect(report.textContent).toContain('The connection does not work');
    expect(within(report).getByText('Authentication: 401')).toBeTruthy();
    expect(within(report).getByText('Paste a new token.')).toBeTruthy();
    expect(bridge.callsTo('settings:testConnection')).toEqual([
      {
        server: {
          id: 'ls',
          name: 'Label Studio',
          url: 'https://ls.example.com',
          eventsPath: '/api/notifications/events/{channel}',
          taskUrl: '{server}/projects/{project_id}/data?task={task_id}',
          channels: ['user_42'],
          authScheme: 'auto',
          idleRefreshSeconds: 300,
        },
        channel: 'user_42',
      },
    ]);
  });

  it('shows who manages the settings and the keyring warning', async () => {
    await openSettings(
      bridgeWith({
        snapshot: snapshot({
          settings: settings({
            managedBy: '/etc/annotray/config.json',
            keyringWarning: 'No OS keyring is available.',
          }),
        }),
      }),
    );
    expect(await screen.findByText(/managed by \/etc\/annotray\/config.json/)).toBeTruthy();
    expect(screen.getByText('No OS keyring is available.')).toBeTruthy();
  });

  it('shows what the OS refused (notifications, the shortcut) as alerts in Settings', async () => {
    await openSettings(
      bridgeWith({
        snapshot: snapshot({
          settings: settings({ systemProblems: ['Notifications cannot be shown: no notification service.'] }),
        }),
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Notifications cannot be shown: no notification service.',
    );
  });

  it('saves notification preferences and pauses through main', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['settings:setPreferences'] = () => ({
      ok: false,
      errors: [{ field: 'shortcut', message: 'the shortcut is taken by another app' }],
    });
    bridge.handlers['notifications:pause'] = ({ kind }) =>
      settings({
        preferences: {
          ...settings().preferences,
          pause: kind === 'indefinite' ? { kind: 'indefinite' } : { kind: 'none' },
        },
      });
    await openSettings(bridge);
    fireEvent.click(await screen.findByRole('tab', { name: 'Notifications' }));
    fireEvent.click(screen.getByRole('switch', { name: /Sound/ }));
    await waitFor(() => expect(bridge.callsTo('settings:setPreferences')).toHaveLength(1));
    expect(bridge.callsTo('settings:setPreferences')[0]).toEqual({
      preferences: {
        ...settings().preferences,
        pause: undefined,
        quietNow: undefined,
        mutes: undefined,
        sound: false,
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Until I resume' }));
    expect(await screen.findByText(/Paused until you resume/)).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'General' }));
    const shortcut = screen.getByLabelText('Shortcut to show the window');
    fireEvent.change(shortcut, { target: { value: 'Alt+A' } });
    fireEvent.blur(shortcut);
    expect(await screen.findByText('the shortcut is taken by another app')).toBeTruthy();
  });
});

describe('quiet hours and mutes', () => {
  const muted = (until: number | 'indefinite') =>
    settings({ preferences: { ...settings().preferences, mutes: [{ channelKey: 'ls/user_42', until }] } });

  it('mutes a channel from the sidebar and shows until when, then unmutes it', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['channels:mute'] = ({ mute }) => (mute === 'unmute' ? settings() : muted('indefinite'));
    renderApp(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Mute user_42' }));
    const menu = screen.getByRole('menu', { name: 'Mute user_42' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Until I unmute it' }));
    await waitFor(() =>
      expect(bridge.callsTo('channels:mute')).toEqual([{ channelKey: 'ls/user_42', mute: 'indefinite' }]),
    );
    expect(await screen.findByText('Muted until unmuted', { selector: '.channel-state' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'user_42 is muted: change' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Unmute' }));
    await waitFor(() => expect(screen.queryByText('Muted until unmuted')).toBeNull());
  });

  it('shows quiet hours in a banner with when they end', async () => {
    const end = NOW + 3 * 60 * 60 * 1000;
    renderApp(
      bridgeWith({
        snapshot: snapshot({
          settings: settings({ preferences: { ...settings().preferences, quietNow: { until: end } } }),
        }),
      }),
    );
    const banner = await screen.findByRole('status', { name: /Quiet hours until/ });
    expect(banner.textContent).toMatch(
      /Notifications are silent; events are still listed and counted as unread\. Errors still notify\./,
    );
  });

  it('saves a quiet-hours schedule and shows main’s message for an impossible one', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['settings:setPreferences'] = ({ preferences }) =>
      preferences.quietHours.days.length === 0 && preferences.quietHours.allDay.length === 0
        ? { ok: false, errors: [{ field: 'quietHours', message: 'choose at least one day for quiet hours' }] }
        : {
            ok: true,
            value: settings({
              preferences: { ...settings().preferences, quietHours: preferences.quietHours },
            }),
          };
    renderApp(bridge);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Notifications' }));
    fireEvent.click(screen.getByRole('switch', { name: /^Quiet hours/ }));
    await waitFor(() => expect(bridge.callsTo('settings:setPreferences')).toHaveLength(1));
    const first = bridge.callsTo('settings:setPreferences')[0] as
      | { preferences: { quietHours: unknown } }
      | undefined;
    expect(first?.preferences.quietHours).toEqual({
      enabled: true,
      from: '18:00',
      to: '08:00',
      days: [1, 2, 3, 4, 5],
      allDay: [0, 6],
    });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      const button = screen
        .getAllByRole('button', { name: day })
        .find((b) => b.getAttribute('aria-pressed') === 'true');
      if (button) fireEvent.click(button);
      await waitFor(() => expect(bridge.callsTo('settings:setPreferences').length).toBeGreaterThan(1));
    }
    expect(await screen.findByText('choose at least one day for quiet hours')).toBeTruthy();
  });
});
