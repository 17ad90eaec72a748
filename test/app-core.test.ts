// The app's core (everything main does, minus Electron) against a live SSE server: what the
// window receives, what it may ask, and what a notification click does.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore, DemoFeed } from '../app/app-core.ts';
import { DEFAULT_SETTINGS, type StoredSettings, type TokenVault } from '../app/settings/settings-model.ts';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';
import { createTestCore, testVault } from './support/test-core.ts';

let server: SseTestServer;
beforeAll(async () => {
  server = await startSseTestServer();
  for (const c of ['core_a', 'core_b', 'core_c', 'core_d', 'core_mark', 'core_rename'])
    server.route(`/api/notifications/events/${c}`, { kind: 'stream' });
});
afterAll(async () => {
  await server.close();
});

function setup(initial: StoredSettings = DEFAULT_SETTINGS, demo?: DemoFeed) {
  return createTestCore({ settings: initial, ...(demo ? { demo } : {}) });
}

let core: AppCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

const serverInput = (channels: string[], extra: Record<string, unknown> = {}) => ({
  name: 'Local',
  url: server.url,
  eventsPath: '',
  taskUrl: '',
  channels,
  authScheme: 'auto' as const,
  token: 'my-secret-token-1234',
  idleRefreshSeconds: 300,
  ...extra,
});

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('AppCore', () => {
  it('saves a server, follows its channel and pushes events and counts to the window in batches', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    const saved = await t.core.request('settings:saveServer', { server: serverInput(['core_a']) });
    expect(saved.ok).toBe(true);
    const stored = t.stored().servers[0];
    expect(stored?.token).toEqual({
      kind: 'encrypted',
      data: Buffer.from('my-secret-token-1234').toString('base64'),
    });
    expect(JSON.stringify(t.pushes)).not.toContain('my-secret-token-1234');
    const path = '/api/notifications/events/core_a';
    await server.waitForOpenStreams(path, 1);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Token my-secret-token-1234');
    for (let i = 1; i <= 50; i += 1)
      server.send(
        path,
        `data: ${JSON.stringify({ event_type: 'ocr.task.assigned', task_id: i, project_id: 2, message_time: 1795000000 + i })}\n\n`,
      );
    await until(() => t.pushed('push:events').flat().length === 50);
    expect(t.pushed('push:events').length).toBeLessThan(10);
    const list = await t.core.request('events:list', { channelKey: null });
    expect(list.events).toHaveLength(50);
    expect(list.events[0]?.taskId).toBe(50);
    expect(list.events[0]?.payloadText).toContain('"task_id": 50');
    await until(() => t.pushed('push:channels').at(-1)?.[0]?.unread === 50);
    const key = list.events[0]?.channelKey ?? '';
    expect(
      await t.core.handle('events:markRead', { channelKey: key, eventIds: [list.events[0]?.id ?? ''] }),
    ).toEqual({ changed: 1 });
    expect(await t.core.handle('events:markAllRead', { channelKey: null })).toEqual({ changed: 49 });
    expect(t.pushed('push:readState')).toEqual([
      { channelKey: key, eventIds: [list.events[0]?.id] },
      { channelKey: null, eventIds: null },
    ]);
  });

  it('ends on the newest settings, with distinct ids, when two saves overlap a slow keyring', async () => {
    let decrypts = 0;
    const slowFirst: TokenVault = {
      ...testVault,
      // The first decryption (the first save's restart) answers last.
      decrypt: async (data) => {
        decrypts += 1;
        if (decrypts === 1) await new Promise((r) => setTimeout(r, 150));
        return testVault.decrypt(data);
      },
    };
    const t = createTestCore({ vault: slowFirst });
    core = t.core;
    await t.core.start();
    const saves = await Promise.all([
      t.core.handle('settings:saveServer', { server: serverInput(['core_c']) }),
      t.core.handle('settings:saveServer', { server: serverInput(['core_d'], { name: 'Other' }) }),
    ]);
    expect(saves.map((s) => (s as { ok: boolean }).ok)).toEqual([true, true]);
    const ids = t.stored().servers.map((s) => s.id);
    expect(new Set(ids).size).toBe(2);
    expect(
      t.core
        .channels()
        .map((c) => c.key)
        .sort(),
    ).toEqual(ids.map((id, i) => `${id}/${['core_c', 'core_d'][i]}`).sort());
  });

  it('lists the events of every channel newest first, merged as one sort of all of them would', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    await t.core.handle('settings:saveServer', { server: serverInput(['core_b', 'core_c']) });
    const paths = ['/api/notifications/events/core_b', '/api/notifications/events/core_c'];
    for (const path of paths) await server.waitForOpenStreams(path, 1);
    // Server times out of arrival order, and ties across the two channels.
    const times = [5, 3, 9, 3, 7, 1, 9, 4];
    times.forEach((time, i) => {
      server.send(
        paths[i % 2] ?? '',
        `data: ${JSON.stringify({ event_type: 'ocr.task.assigned', task_id: 100 + i, message_time: 1795000000 + time })}\n\n`,
      );
    });
    await until(() => t.pushed('push:events').flat().length === times.length);
    const list = await t.core.request('events:list', { channelKey: null });
    const sorted = [...list.events].sort((a, b) => b.time - a.time || b.receivedAt - a.receivedAt);
    expect(list.events.map((e) => e.taskId)).toEqual(sorted.map((e) => e.taskId));
    expect(list.events.map((e) => e.time)).toEqual(
      [...times].sort((a, b) => b - a).map((s) => (1795000000 + s) * 1000),
    );
  });

  it('explains invalid server settings per field and rejects malformed requests', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    const result = await t.core.handle('settings:saveServer', {
      server: serverInput([], { url: 'ftp://x' }),
    });
    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ field: 'url', message: expect.stringMatching(/http/) })],
    });
    const noChannel = await t.core.handle('settings:saveServer', { server: serverInput([' ']) });
    expect(noChannel).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'channels' })] });
    await expect(t.core.handle('events:list', { channelKey: 5 })).rejects.toThrow(/invalid events:list/);
    await expect(t.core.handle('shell:exec', {})).rejects.toThrow(/unknown request/);
    await expect(t.core.handle('task:open', { url: 'file:///etc/passwd', extra: 1 })).rejects.toThrow(
      /invalid/,
    );
  });

  it('opens only http(s) links on a configured server', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    await t.core.handle('settings:saveServer', { server: serverInput(['core_b']) });
    expect(await t.core.handle('task:open', { url: `${server.url}/projects/1/data?task=2` })).toEqual({
      opened: true,
    });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/x',
      `${server.url.replace('http', 'ftp')}/x`,
    ]) {
      expect(await t.core.handle('task:open', { url })).toMatchObject({ opened: false });
    }
    expect(t.opened).toEqual([`${server.url}/projects/1/data?task=2`]);
  });

  it('runs the demo feed while no server is configured and leaves it when one is added', async () => {
    let running = false;
    const demo: DemoFeed = {
      start: async () => {
        running = true;
        server.route('/api/notifications/events/user_demo', { kind: 'stream' });
        return { url: server.url, channel: 'user_demo' };
      },
      stop: async () => {
        running = false;
      },
    };
    const t = setup(DEFAULT_SETTINGS, demo);
    core = t.core;
    await t.core.start();
    expect(running).toBe(true);
    const snapshot = await t.core.request('app:snapshot', {});
    expect(snapshot.demo).toBe(true);
    expect(snapshot.channels.map((c) => c.channel)).toEqual(['user_demo']);
    await t.core.handle('settings:saveServer', { server: serverInput(['core_c']) });
    expect(running).toBe(false);
    const after = await t.core.request('app:snapshot', {});
    expect(after.demo).toBe(false);
    expect(after.channels.map((c) => c.channel)).toEqual(['core_c']);
  });

  it('pauses notifications and opens the task or the window when a notification is clicked', async () => {
    const shown: string[] = [];
    const t = setup();
    core = t.core;
    await t.core.start();
    await t.core.handle('settings:saveServer', { server: serverInput(['core_d']) });
    const settings = await t.core.request('notifications:pause', { kind: 'hour' });
    expect(settings.preferences.pause.kind).toBe('until');
    await t.core.activate({
      id: 'x',
      title: 't',
      body: 'b',
      count: 1,
      urgency: 'normal',
      silent: false,
      target: { kind: 'task', url: `${server.url}/projects/1/data?task=9` },
    });
    await t.core.activate({
      id: 'y',
      title: 't',
      body: 'b',
      count: 1,
      urgency: 'normal',
      silent: false,
      target: { kind: 'event', channelKey: 'k', eventId: 'e' },
    });
    expect(t.opened).toEqual([`${server.url}/projects/1/data?task=9`]);
    expect(t.pushed('push:navigate')).toEqual([{ channelKey: 'k', eventId: 'e' }]);
    void shown;
  });

  it('marks the event read from the notification’s Mark read button, without opening anything', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    await t.core.handle('settings:saveServer', { server: serverInput(['core_mark']) });
    const path = '/api/notifications/events/core_mark';
    await server.waitForOpenStreams(path, 1);
    server.send(path, 'data: {"event_type":"ocr.task.assigned","task_id":3,"project_id":1}\n\n');
    const channelKey = () => t.core.channels().find((c) => c.channel === 'core_mark')?.key ?? '';
    for (let i = 0; i < 100 && t.notes.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    const note = t.notes[0];
    expect(note?.actions).toEqual(['open-task', 'mark-read']);
    expect(t.core.channels().find((c) => c.key === channelKey())?.unread).toBe(1);
    await t.core.activate(note as NonNullable<typeof note>, 'mark-read');
    expect(t.core.channels().find((c) => c.key === channelKey())?.unread).toBe(0);
    expect(t.pushed('push:readState')).toContainEqual({
      channelKey: channelKey(),
      eventIds: [note?.eventId],
    });
    expect(t.opened).toEqual([]);
  });

  it('shows a renamed server in the window and the tray without reconnecting its channels', async () => {
    const t = setup();
    core = t.core;
    await t.core.start();
    await t.core.handle('settings:saveServer', { server: serverInput(['core_rename']) });
    const path = '/api/notifications/events/core_rename';
    await server.waitForOpenStreams(path, 1);
    await until(() => t.pushed('push:channels').at(-1)?.[0]?.serverName === 'Local');
    let trayUpdates = 0;
    t.core.onChange(() => {
      trayUpdates += 1;
    });
    const id = t.stored().servers[0]?.id;
    const renamed = (await t.core.handle('settings:saveServer', {
      server: { ...serverInput(['core_rename'], { name: 'Team server' }), id },
    })) as { ok: boolean };
    expect(renamed.ok).toBe(true);
    // The window gets the new name pushed; the tray, told of a change, reads it from AppCore.
    await until(() => t.pushed('push:channels').at(-1)?.[0]?.serverName === 'Team server');
    expect(trayUpdates).toBeGreaterThan(0);
    expect(t.core.channels().map((c) => c.serverName)).toEqual(['Team server']);
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(1);
  });
});
