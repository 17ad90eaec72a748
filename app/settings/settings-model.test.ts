import { describe, expect, it } from 'vitest';
import type { ServerInput } from '../../contract/server-schema.ts';
import {
  migrateSettings,
  sealToken,
  type TokenVault,
  toServerConfig,
  validateServerInput,
} from './settings-model.ts';

const vault: TokenVault = {
  available: true,
  encrypt: async (s) => `enc:${s}`,
  decrypt: async (s) => s.slice(4),
};

const input = (extra: Partial<ServerInput> = {}): ServerInput => ({
  name: 'LS',
  url: 'https://ls.example.com/',
  eventsPath: '',
  taskUrl: '',
  channels: ['user_42', ' user_42 ', ''],
  authScheme: 'auto',
  token: 'abcdefghijklmnop',
  idleRefreshSeconds: 300,
  ...extra,
});

describe('server settings', () => {
  it('stores defaults, an encrypted token with its hint, and unique channels', async () => {
    const result = validateServerInput(input(), undefined, [], await sealToken(vault, input().token));
    expect(result).toEqual({
      ok: true,
      server: expect.objectContaining({
        url: 'https://ls.example.com',
        eventsPath: '/api/notifications/events/{channel}',
        channels: ['user_42'],
        token: { kind: 'encrypted', data: 'enc:abcdefghijklmnop' },
        tokenHint: 'mnop',
      }),
    });
  });

  it('keeps the stored token when the field is left out and removes it when the field is empty', async () => {
    const first = validateServerInput(input(), undefined, [], await sealToken(vault, 'abcdefghijklmnop'));
    if (!first.ok) throw new Error('the first save should be valid');
    const kept = validateServerInput(input(), first.server, [], await sealToken(vault, undefined));
    expect(kept.ok && [kept.server.token, kept.server.tokenHint]).toEqual([
      { kind: 'encrypted', data: 'enc:abcdefghijklmnop' },
      'mnop',
    ]);
    const removed = validateServerInput(input(), first.server, [], await sealToken(vault, '  '));
    expect(removed.ok && [removed.server.token, removed.server.tokenHint]).toEqual([undefined, undefined]);
    // A short token is stored without a hint.
    expect(await sealToken(vault, ' short ')).toEqual({
      kind: 'set',
      token: { kind: 'encrypted', data: 'enc:short' },
    });
  });

  it('gives the engine the decrypted token of a stored server', async () => {
    const saved = validateServerInput(input(), undefined, [], await sealToken(vault, 'abcdefghijklmnop'));
    if (!saved.ok) throw new Error('the save should be valid');
    expect((await toServerConfig(saved.server, vault)).auth).toEqual({
      scheme: 'token',
      token: 'abcdefghijklmnop',
    });
  });

  it('keeps the WebSocket transport and its socket path, and explains a bad path', async () => {
    const keep = await sealToken(vault, undefined);
    const ws = validateServerInput(input({ transport: 'ws', socketPath: '' }), undefined, [], keep);
    expect(ws.ok && [ws.server.transport, ws.server.socketPath]).toEqual(['ws', '/ws/notifications/']);
    expect(ws.ok && (await toServerConfig(ws.server, vault))).toMatchObject({
      transport: 'ws',
      socketPath: '/ws/notifications/',
    });
    const bad = validateServerInput(input({ transport: 'ws', socketPath: 'ws/x' }), undefined, [], keep);
    expect(bad).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ field: 'socketPath', message: expect.stringMatching(/start with/) }),
      ],
    });
  });

  it('migrates settings: keeps valid servers and transports, drops damaged entries', () => {
    const good = {
      id: 'a',
      name: 'A',
      url: 'https://a',
      eventsPath: '/e/{channel}',
      taskUrl: '{server}/t/{task_id}',
      channels: ['c'],
      authScheme: 'auto',
      idleRefreshSeconds: 300,
    };
    const migrated = migrateSettings({
      servers: [
        good,
        { ...good, id: 'b', transport: 'ws', socketPath: '/ws/' },
        { ...good, id: 'c', transport: 'carrier-pigeon' },
        { id: 'd' },
      ],
      preferences: {
        sound: 'loud',
        pausedUntil: 'indefinite',
        types: { 'ocr.task.assigned': false, bogus: true },
      },
    });
    expect(migrated.servers.map((s) => s.id)).toEqual(['a', 'b']);
    expect(migrated.servers[1]?.transport).toBe('ws');
    expect(migrated.preferences).toMatchObject({ sound: true, pausedUntil: 'indefinite' });
    expect(migrated.preferences.types['ocr.task.assigned']).toBe(false);
    expect(migrated.preferences.types.bogus).toBeUndefined();
    expect(migrateSettings('nonsense').servers).toEqual([]);
  });

  it('brings settings from before quiet hours, mutes and alerts to their defaults, keeps valid ones and drops damaged ones', () => {
    const old = migrateSettings({ version: 1, servers: [], preferences: { sound: false } });
    expect(old.preferences.quietHours.enabled).toBe(false);
    expect(old.preferences.mutes).toEqual({});
    expect(old.preferences.unreachableAlertMinutes).toBe(2);
    expect(old.preferences.sound).toBe(false);
    const schedule = { enabled: true, from: '18:00', to: '08:00', days: [1, 2, 3, 4, 5], allDay: [0, 6] };
    const future = Date.now() + 3_600_000;
    const kept = migrateSettings({
      preferences: {
        quietHours: schedule,
        mutes: { 'ls/team': future, 'ls/old': 5, 'ls/loud': 'indefinite', 'ls/bad': 'soon' },
        unreachableAlertMinutes: null,
      },
    });
    expect(kept.preferences.quietHours).toEqual(schedule);
    expect(kept.preferences.mutes).toEqual({ 'ls/team': future, 'ls/loud': 'indefinite' });
    expect(kept.preferences.unreachableAlertMinutes).toBeNull();
    const damaged = migrateSettings({
      preferences: { quietHours: { ...schedule, from: '25:99' }, unreachableAlertMinutes: 0 },
    });
    expect(damaged.preferences.quietHours.enabled).toBe(false);
    expect(damaged.preferences.unreachableAlertMinutes).toBe(2);
  });
});
