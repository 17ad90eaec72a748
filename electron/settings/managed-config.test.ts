import { describe, expect, it } from 'vitest';
import {
  applyManagedConfig,
  describeManagedSources,
  loadManagedConfig,
  managedConfigFromEnv,
  managedConfigPaths,
  parseManagedConfig,
  withManagedConfig,
} from './managed-config.ts';
import {
  DEFAULT_SETTINGS,
  type StoredServer,
  type StoredSettings,
  type TokenVault,
} from './settings-model.ts';

const vault: TokenVault = {
  available: true,
  encrypt: (s) => Buffer.from(s).toString('base64'),
  decrypt: (s) => Buffer.from(s, 'base64').toString(),
};

const userServer: StoredServer = {
  id: 'ls.example.com',
  name: 'My LS',
  url: 'https://ls.example.com',
  eventsPath: '/api/notifications/events/{channel}',
  taskUrl: '{server}/projects/{project_id}/data?task={task_id}',
  channels: ['user_42', 'user_7'],
  authScheme: 'token',
  token: { kind: 'encrypted', data: Buffer.from('users-own-token-1234').toString('base64') },
  tokenHint: '1234',
  idleRefreshSeconds: 120,
};

describe('managedConfigPaths', () => {
  it('looks in the system folder of each platform, then beside the app', () => {
    expect(managedConfigPaths('linux', {}, '/opt/Annotray')).toEqual([
      '/etc/annotray/config.json',
      '/opt/Annotray/annotray.config.json',
    ]);
    expect(managedConfigPaths('darwin', {})).toEqual(['/Library/Application Support/Annotray/config.json']);
    expect(managedConfigPaths('win32', { ProgramData: 'D:\\PD' })[0]).toMatch(
      /^D:\\PD.Annotray.config\.json$/,
    );
  });

  it('uses only the file ANNOTRAY_CONFIG names', () => {
    expect(managedConfigPaths('linux', { ANNOTRAY_CONFIG: '/srv/annotray.json' }, '/opt/Annotray')).toEqual([
      '/srv/annotray.json',
    ]);
  });
});

describe('parseManagedConfig', () => {
  it('accepts the documented format', () => {
    const text = JSON.stringify({
      servers: [
        {
          id: 'ls',
          name: 'Team LS',
          url: 'https://ls.example.com',
          channels: ['user_42'],
          taskUrl: '{server}/tasks/{task_id}',
        },
      ],
      preferences: { sound: false, types: { 'ocr.annotation.started': false } },
      updateUrl: 'https://updates.example.com/annotray/',
    });
    expect(parseManagedConfig(text, '/etc/annotray/config.json')).toMatchObject({
      ok: true,
      config: { preferences: { sound: false } },
    });
  });

  it('explains what is wrong, with the path to the field', () => {
    expect(parseManagedConfig('{"servers": [{"url": "https://x"}]', '/etc/a.json')).toEqual({
      ok: false,
      error: expect.stringMatching(/^\/etc\/a\.json is not valid JSON/),
    });
    const bad = parseManagedConfig(
      JSON.stringify({
        servers: [{ url: 'https://x', channels: [] }],
        colour: 'red',
        updateUrl: 'file:///x',
      }),
      '/etc/a.json',
    );
    expect(bad.ok).toBe(false);
    const error = bad.ok ? '' : bad.error;
    expect(error).toContain('servers.0.channels');
    expect(error).toContain('colour');
    expect(error).toContain('updateUrl');
  });
});

describe('managedConfigFromEnv', () => {
  it('describes one server from ANNOTRAY_* variables', () => {
    const { config, errors } = managedConfigFromEnv({
      ANNOTRAY_SERVER_URL: 'https://ls.example.com',
      ANNOTRAY_CHANNELS: 'user_42, user_7',
      ANNOTRAY_TOKEN: 'env-token-123456',
      ANNOTRAY_EVENTS_PATH: '/sse/{channel}',
      ANNOTRAY_TASK_URL: '{server}/t/{task_id}',
      ANNOTRAY_IDLE_REFRESH: '600',
      ANNOTRAY_UPDATE_URL: 'https://updates.example.com/annotray/',
    });
    expect(errors).toEqual([]);
    expect(config).toEqual({
      servers: [
        {
          url: 'https://ls.example.com',
          channels: ['user_42', 'user_7'],
          token: 'env-token-123456',
          eventsPath: '/sse/{channel}',
          taskUrl: '{server}/t/{task_id}',
          idleRefreshSeconds: 600,
        },
      ],
      updateUrl: 'https://updates.example.com/annotray/',
    });
  });

  it('is empty without variables, and names the variable that is wrong', () => {
    expect(managedConfigFromEnv({ HOME: '/root' })).toEqual({ errors: [] });
    const { config, errors } = managedConfigFromEnv({
      ANNOTRAY_CHANNELS: 'user_42',
      ANNOTRAY_IDLE_REFRESH: 'soon',
    });
    expect(config).toBeUndefined();
    expect(errors[0]).toContain('ANNOTRAY_SERVER_URL: not set');
    expect(errors[0]).toContain('ANNOTRAY_IDLE_REFRESH');
  });
});

describe('loadManagedConfig', () => {
  const files: Record<string, string> = {
    '/etc/annotray/config.json': JSON.stringify({
      servers: [{ id: 'ls', url: 'https://ls.example.com', channels: ['user_1'] }],
      updateUrl: 'https://a.example/',
    }),
  };
  const readFile = (path: string) => files[path];

  it('merges the file under the environment, which wins per server id', () => {
    const loaded = loadManagedConfig({
      platform: 'linux',
      env: {
        ANNOTRAY_SERVER_ID: 'ls',
        ANNOTRAY_SERVER_URL: 'https://ls.example.com',
        ANNOTRAY_CHANNELS: 'user_2',
      },
      readFile,
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.sources).toEqual(['/etc/annotray/config.json', 'environment variables']);
    expect(loaded.config.servers).toEqual([
      { id: 'ls', url: 'https://ls.example.com', channels: ['user_2'] },
    ]);
    expect(loaded.config.updateUrl).toBe('https://a.example/');
    expect(describeManagedSources(loaded)).toBe('/etc/annotray/config.json and environment variables');
  });

  it('reports a missing ANNOTRAY_CONFIG file and an unreadable one', () => {
    expect(
      loadManagedConfig({ platform: 'linux', env: { ANNOTRAY_CONFIG: '/nope.json' }, readFile }).errors,
    ).toEqual(['ANNOTRAY_CONFIG names /nope.json, which does not exist']);
    const unreadable = loadManagedConfig({
      platform: 'linux',
      env: {},
      readFile: () => {
        throw new Error('EACCES: permission denied');
      },
    });
    expect(unreadable.errors[0]).toMatch(/could not be read: EACCES/);
    expect(describeManagedSources(unreadable)).toMatch(/some entries were ignored/);
  });

  it('is nothing when nothing is configured', () => {
    const loaded = loadManagedConfig({ platform: 'linux', env: {}, readFile: () => undefined });
    expect(loaded).toEqual({ config: {}, sources: [], errors: [] });
    expect(describeManagedSources(loaded)).toBeUndefined();
  });
});

describe('applyManagedConfig', () => {
  const settings: StoredSettings = { ...DEFAULT_SETTINGS, servers: [userServer] };

  it('adds a managed server with an encrypted token', () => {
    const { settings: out, errors } = applyManagedConfig(
      DEFAULT_SETTINGS,
      {
        servers: [
          {
            id: 'team',
            name: 'Team LS',
            url: 'https://team.example.com/',
            channels: ['user_9'],
            token: 'managed-token-5678',
          },
        ],
      },
      vault,
    );
    expect(errors).toEqual([]);
    expect(out.servers).toEqual([
      expect.objectContaining({
        id: 'team',
        name: 'Team LS',
        url: 'https://team.example.com',
        channels: ['user_9'],
        token: { kind: 'encrypted', data: Buffer.from('managed-token-5678').toString('base64') },
        tokenHint: '5678',
        authScheme: 'auto',
      }),
    ]);
  });

  it('replaces the entry with the same id but keeps the person’s token when the admin gives none', () => {
    const { settings: out } = applyManagedConfig(
      settings,
      {
        servers: [{ url: 'https://ls.example.com', channels: ['user_42'], taskUrl: '{server}/t/{task_id}' }],
      },
      vault,
    );
    expect(out.servers).toHaveLength(1);
    expect(out.servers[0]).toMatchObject({
      id: 'ls.example.com',
      name: 'My LS',
      channels: ['user_42'],
      taskUrl: '{server}/t/{task_id}',
      token: userServer.token,
      idleRefreshSeconds: 120,
    });
  });

  it('takes a channel the admin manages away from another entry on the same URL', () => {
    const { settings: out } = applyManagedConfig(
      settings,
      { servers: [{ id: 'managed', url: 'https://ls.example.com', channels: ['user_42'] }] },
      vault,
    );
    expect(out.servers.map((s) => [s.id, s.channels])).toEqual([
      ['ls.example.com', ['user_7']],
      ['managed', ['user_42']],
    ]);
  });

  it('skips a managed server that fails validation, saying why', () => {
    const { settings: out, errors } = applyManagedConfig(
      settings,
      { servers: [{ id: 'bad', url: 'ftp://ls', channels: ['x'] }] },
      vault,
    );
    expect(out.servers).toEqual([userServer]);
    expect(errors[0]).toMatch(/^managed server bad was ignored: url: /);
  });

  it('overrides preferences the admin sets and leaves the rest', () => {
    const { settings: out } = applyManagedConfig(
      settings,
      { preferences: { sound: false, openAtLogin: true, types: { 'ocr.batch.processed': false } } },
      vault,
    );
    expect(out.preferences).toMatchObject({ sound: false, openAtLogin: true, errorsAlwaysNotify: true });
    expect(out.preferences.types).toMatchObject({ 'ocr.batch.processed': false, 'ocr.task.assigned': true });
  });

  it('applies at every load and passes saves through', () => {
    let stored: StoredSettings = settings;
    const repo = withManagedConfig(
      { load: () => stored, save: (s) => (stored = s) },
      { config: { preferences: { sound: false } }, sources: ['x'], errors: [] },
      vault,
      { log: () => {} },
    );
    expect(repo.load().preferences.sound).toBe(false);
    repo.save({ ...settings, preferences: { ...settings.preferences, sound: true } });
    expect(stored.preferences.sound).toBe(true);
    expect(repo.load().preferences.sound).toBe(false);
  });
});
