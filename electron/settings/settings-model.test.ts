import { describe, expect, it } from 'vitest';
import type { ServerInput } from '../../contract/server-schema.ts';
import { migrateSettings, type TokenVault, toServerConfig, validateServerInput } from './settings-model.ts';

const vault: TokenVault = { available: true, encrypt: (s) => `enc:${s}`, decrypt: (s) => s.slice(4) };

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
  it('stores defaults, an encrypted token with its hint, and unique channels', () => {
    const result = validateServerInput(input(), undefined, [], vault);
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

  it('keeps the WebSocket transport and its socket path, and explains a bad path', () => {
    const ws = validateServerInput(input({ transport: 'ws', socketPath: '' }), undefined, [], vault);
    expect(ws.ok && [ws.server.transport, ws.server.socketPath]).toEqual(['ws', '/ws/notifications/']);
    expect(ws.ok && toServerConfig(ws.server, vault)).toMatchObject({
      transport: 'ws',
      socketPath: '/ws/notifications/',
    });
    const bad = validateServerInput(input({ transport: 'ws', socketPath: 'ws/x' }), undefined, [], vault);
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
});
