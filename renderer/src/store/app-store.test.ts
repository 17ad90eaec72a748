// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  bridgeWith,
  channel,
  event,
  FakeBridge,
  gap,
  NOW,
  settings,
  settle,
  snapshot,
} from '../test-support/fake-bridge.ts';
import { createAppStore } from './app-store.ts';

async function started(bridge: FakeBridge) {
  const store = createAppStore(bridge);
  const stop = store.getState().start();
  await settle();
  return { store, stop, state: () => store.getState() };
}

describe('the app store', () => {
  it('without a bridge says the window is not connected to Annotray', () => {
    const store = createAppStore(undefined);
    store.getState().start();
    expect(store.getState().phase).toBe('unavailable');
    expect(store.getState().problem).toMatch(/tray/);
  });

  it('listens before it asks, then holds the snapshot and the list of every channel', async () => {
    const events = [event({ id: 'a' }), event({ id: 'b' })];
    const bridge = bridgeWith({ events, gaps: [gap()] });
    const { state, stop } = await started(bridge);
    expect(bridge.calls.map((c) => c.channel)).toEqual(['app:snapshot', 'events:list']);
    expect(bridge.callsTo('events:list')).toEqual([{ channelKey: null }]);
    expect(state().phase).toBe('ready');
    expect(state().events.map((e) => e.id)).toEqual(['a', 'b']);
    expect(state().gaps).toHaveLength(1);
    expect(bridge.listenerCount()).toBe(6);
    stop();
    expect(bridge.listenerCount()).toBe(0);
  });

  it('adds pushed events of the shown channel only, and applies read state from main', async () => {
    const bridge = bridgeWith({
      snapshot: snapshot({ channels: [channel('user_42'), channel('user_7')] }),
      events: [event({ id: 'old', time: NOW - 600_000 })],
    });
    const { store, state } = await started(bridge);
    await state().selectChannel('ls/user_42');
    bridge.push('push:events', [
      event({ id: 'mine', time: NOW }),
      event({ id: 'other', channelKey: 'ls/user_7', channel: 'user_7', time: NOW }),
    ]);
    expect(state().events.map((e) => e.id)).toEqual(['mine', 'old']);

    bridge.push('push:readState', { channelKey: 'ls/user_42', eventIds: ['mine'] });
    expect(state().events.find((e) => e.id === 'mine')?.unread).toBe(false);
    expect(state().events.find((e) => e.id === 'old')?.unread).toBe(true);
    bridge.push('push:readState', { channelKey: null, eventIds: null });
    expect(state().events.every((e) => !e.unread)).toBe(true);

    bridge.push('push:channels', [channel('user_42', { unread: 3 }), channel('user_7')]);
    expect(store.getState().channels[0]?.unread).toBe(3);
    // Counts changing is not a reason to ask for the list again.
    expect(bridge.callsTo('events:list')).toHaveLength(2);
  });

  it('keeps events pushed while a list request is on its way', async () => {
    let answer: (value: { events: []; gaps: [] }) => void = () => {};
    const bridge = new FakeBridge({
      'app:snapshot': () => snapshot(),
      'events:list': () => new Promise((resolve) => (answer = resolve)),
    });
    const { state } = await started(bridge);
    bridge.push('push:events', [event({ id: 'early' })]);
    bridge.push('push:gap', gap({ id: 'g-early', to: undefined }));
    answer({ events: [], gaps: [] });
    await settle();
    expect(state().listPhase).toBe('ready');
    expect(state().events.map((e) => e.id)).toEqual(['early']);
    expect(state().gaps.map((g) => g.id)).toEqual(['g-early']);
  });

  it('asks for the list again when channels come or go, and leaves a channel that went', async () => {
    const bridge = bridgeWith({ snapshot: snapshot({ channels: [channel('user_42'), channel('user_7')] }) });
    const { state } = await started(bridge);
    await state().selectChannel('ls/user_7');
    bridge.push('push:channels', [channel('user_42')]);
    await settle();
    expect(state().scope).toBeNull();
    expect(bridge.callsTo('events:list').at(-1)).toEqual({ channelKey: null });
  });

  it('opens an event (marking it read through main) and follows push:navigate', async () => {
    const target = event({ id: 'target', channelKey: 'ls/user_7', channel: 'user_7' });
    const bridge = bridgeWith({
      snapshot: snapshot({ channels: [channel('user_42'), channel('user_7')] }),
      events: [event({ id: 'a' }), target],
    });
    bridge.handlers['events:markRead'] = () => ({ changed: 1 });
    const { state } = await started(bridge);
    bridge.push('push:navigate', { channelKey: 'ls/user_7', eventId: 'target' });
    await settle();
    expect(state().scope).toBe('ls/user_7');
    expect(state().selectedEventId).toBe('target');
    expect(bridge.callsTo('events:markRead')).toEqual([{ channelKey: 'ls/user_7', eventIds: ['target'] }]);
    // The event stays unread here until main says otherwise.
    expect(state().events.find((e) => e.id === 'target')?.unread).toBe(true);
  });

  it('asks main to open a task, and tells why when it refused', async () => {
    const bridge = bridgeWith({ events: [event({ id: 'a', taskUrl: 'https://elsewhere.example/x' })] });
    bridge.handlers['task:open'] = () => ({
      opened: false,
      reason: 'https://elsewhere.example is not a configured server',
    });
    const { state } = await started(bridge);
    const first = state().events[0];
    if (!first) throw new Error('no event');
    const result = await state().openTask(first);
    expect(result.opened).toBe(false);
    expect(bridge.callsTo('task:open')).toEqual([{ url: 'https://elsewhere.example/x' }]);
    expect(state().notice?.text).toBe(
      'The task was not opened: https://elsewhere.example is not a configured server',
    );
  });

  it('turns a rejected request into a notice instead of an unhandled error', async () => {
    const bridge = bridgeWith({});
    const { state } = await started(bridge);
    await state().markAllRead();
    expect(state().notice?.tone).toBe('error');
    expect(state().notice?.text).toMatch(/Could not mark the events read: .*events:markAllRead/);
  });

  it('after saving the first server asks main again whether the demo is over', async () => {
    let demo = true;
    const bridge = new FakeBridge({
      'app:snapshot': () =>
        snapshot({
          demo,
          channels: demo
            ? [channel('user_demo', { serverId: 'demo', key: 'demo/user_demo' })]
            : [channel('user_42')],
          settings: settings({ servers: demo ? [] : (settings().servers ?? []) }),
        }),
      'events:list': () => ({ events: [], gaps: [] }),
      'settings:saveServer': () => {
        demo = false;
        return { ok: true, value: settings() };
      },
    });
    const { state } = await started(bridge);
    expect(state().demo).toBe(true);
    const result = await state().saveServer({
      name: '',
      url: 'https://ls.example.com',
      eventsPath: '',
      taskUrl: '',
      channels: ['user_42'],
      authScheme: 'auto',
      idleRefreshSeconds: 300,
    });
    expect(result.ok).toBe(true);
    expect(state().demo).toBe(false);
    expect(state().channels.map((c) => c.key)).toEqual(['ls/user_42']);
  });

  it('tells the person when the channel list cannot be refreshed after a server is saved or removed', async () => {
    let snapshots = 0;
    const bridge = bridgeWith({});
    const first = bridge.handlers['app:snapshot'];
    bridge.handlers['app:snapshot'] = (request) => {
      snapshots += 1;
      if (snapshots > 1) throw new Error('main is busy');
      return first ? first(request) : snapshot();
    };
    bridge.handlers['settings:saveServer'] = () => ({ ok: true, value: settings() });
    bridge.handlers['settings:removeServer'] = () => settings({ servers: [] });
    const { state } = await started(bridge);
    expect(state().notice).toBeNull();

    const saved = await state().saveServer({
      name: '',
      url: 'https://ls.example.com',
      eventsPath: '',
      taskUrl: '',
      channels: ['user_42'],
      authScheme: 'auto',
      idleRefreshSeconds: 300,
    });
    expect(saved.ok).toBe(true);
    expect(state().notice).toMatchObject({
      tone: 'error',
      text: 'The server was saved, but the window could not load the new channel list: main is busy',
    });

    state().dismissNotice();
    await state().removeServer('ls');
    expect(state().settings?.servers).toEqual([]);
    expect(state().notice).toMatchObject({
      tone: 'error',
      text: 'The server was removed, but the window could not load the new channel list: main is busy',
    });
  });

  it('passes field errors from main back to the form', async () => {
    const bridge = bridgeWith({});
    bridge.handlers['settings:saveServer'] = () => ({
      ok: false,
      errors: [{ field: 'url', message: 'the URL must start with http:// or https://' }],
    });
    const { state } = await started(bridge);
    const result = await state().saveServer({
      name: '',
      url: 'ftp://x',
      eventsPath: '',
      taskUrl: '',
      channels: [],
      authScheme: 'auto',
      idleRefreshSeconds: 300,
    });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'url', message: 'the URL must start with http:// or https://' }],
    });
  });
});
