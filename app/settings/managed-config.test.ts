import { describe, expect, it } from 'vitest';
import {
  applyManagedConfig,
  describeManagedSources,
  loadManagedConfig,
  type ManagedConfig,
  managedConfigFromEnv,
  managedConfigPaths,
  parseManagedConfig,
  sealManagedConfig,
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
  encrypt: async (s) => Buffer.from(s).toString('base64'),
  decrypt: async (s) => Buffer.from(s, 'base64').toString(),
};

/** The managed configuration as main applies it: tokens sealed first. */
async function apply(settings: StoredSettings, config: ManagedConfig) {
  return applyManagedConfig(settings, await sealManagedConfig(config, vault));
}

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

  it('adds a managed server with an encrypted token', async () => {
    const { settings: out, errors } = await apply(DEFAULT_SETTINGS, {
      servers: [
        {
          id: 'team',
          name: 'Team LS',
          url: 'https://team.example.com/',
          channels: ['user_9'],
          token: 'managed-token-5678',
        },
      ],
    });
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

  it('replaces the entry with the same id but keeps the person’s token when the admin gives none', async () => {
    const { settings: out } = await apply(settings, {
      servers: [{ url: 'https://ls.example.com', channels: ['user_42'], taskUrl: '{server}/t/{task_id}' }],
    });
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

  it('takes a channel the admin manages away from another entry on the same URL', async () => {
    const { settings: out } = await apply(settings, {
      servers: [{ id: 'managed', url: 'https://ls.example.com', channels: ['user_42'] }],
    });
    expect(out.servers.map((s) => [s.id, s.channels])).toEqual([
      ['ls.example.com', ['user_7']],
      ['managed', ['user_42']],
    ]);
  });

  it('skips a managed server that fails validation, saying why', async () => {
    const { settings: out, errors } = await apply(settings, {
      servers: [{ id: 'bad', url: 'ftp://ls', channels: ['x'] }],
    });
    expect(out.servers).toEqual([userServer]);
    expect(errors[0]).toMatch(/^managed server bad was ignored: url: /);
  });

  it('overrides preferences the admin sets and leaves the rest', async () => {
    const { settings: out } = await apply(settings, {
      preferences: { sound: false, openAtLogin: true, types: { 'ocr.batch.processed': false } },
    });
    expect(out.preferences).toMatchObject({ sound: false, openAtLogin: true, errorsAlwaysNotify: true });
    expect(out.preferences.types).toMatchObject({ 'ocr.batch.processed': false, 'ocr.task.assigned': true });
  });

  it('seals each managed token once: a token, a removal, or none (keep the person’s)', async () => {
    let encrypted = 0;
    const counting: TokenVault = {
      ...vault,
      encrypt: (s) => {
        encrypted += 1;
        return vault.encrypt(s);
      },
    };
    const sealed = await sealManagedConfig(
      {
        servers: [
          { id: 'a', url: 'https://a.example.com', channels: ['c'], token: 'managed-token-5678' },
          { id: 'b', url: 'https://b.example.com', channels: ['c'], token: '' },
          { id: 'c', url: 'https://c.example.com', channels: ['c'] },
        ],
        updateUrl: 'https://updates.example.com/',
      },
      counting,
    );
    expect(encrypted).toBe(1);
    expect(sealed.servers?.map((s) => s.token)).toEqual([
      {
        kind: 'set',
        token: { kind: 'encrypted', data: Buffer.from('managed-token-5678').toString('base64') },
        hint: '5678',
      },
      { kind: 'remove' },
      { kind: 'keep' },
    ]);
    expect(JSON.stringify(sealed)).not.toContain('managed-token-5678');
    expect(sealed.updateUrl).toBe('https://updates.example.com/');
    // Applying at every load encrypts nothing more.
    applyManagedConfig(settings, sealed);
    expect(encrypted).toBe(1);
  });

  it('applies at every load and passes saves through', () => {
    let stored: StoredSettings = settings;
    const repo = withManagedConfig(
      { load: () => stored, save: (s) => (stored = s) },
      { preferences: { sound: false } },
      { log: () => {} },
    );
    expect(repo.load().preferences.sound).toBe(false);
    repo.save({ ...settings, preferences: { ...settings.preferences, sound: true } });
    expect(stored.preferences.sound).toBe(true);
    expect(repo.load().preferences.sound).toBe(false);
  });
});
