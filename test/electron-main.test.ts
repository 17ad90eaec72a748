// The real main process (electron/main.ts, the composition root) run in plain Node against a
// recording stand-in for Electron (test/support/fake-electron): first run on the demo feed,
// the window's security settings, the tray, notifications and their clicks, IPC from our page
// and from others, the app:// protocol, sleep and wake, the log file, and quitting. The real
// Electron binary is exercised by test/electron-smoke.test.ts where one is installed.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, MainProcess, type Message } from './support/main-process.ts';

const ROOT = join(import.meta.dirname, '..');

let main: MainProcess;
let dir: string;
const send = (command: Record<string, unknown>) => main.send(command);
const invoke = (channel: string, request: unknown, url = APP) => main.invoke(channel, request, url);
const waitFor = (predicate: (m: Message) => boolean, what: string, ms?: number) =>
  main.waitFor(predicate, what, ms);
const all = (kind: string) => main.all(kind);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'annotray-main-'));
  // The app folder: the repo's resources (tray icons) and a stand-in renderer build.
  const appPath = join(dir, 'app');
  mkdirSync(join(appPath, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(
    join(appPath, 'dist', 'renderer', 'index.html'),
    '<!doctype html><title>Annotray</title><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(appPath, 'dist', 'renderer', 'assets', 'app.js'), 'console.log("renderer")');
  writeFileSync(join(appPath, 'secret.json'), '{"token":"outside the renderer"}');
  symlinkSync(join(ROOT, 'resources'), join(appPath, 'resources'));
  main = new MainProcess({ ANNOTRAY_USER_DATA: join(dir, 'user-data'), FAKE_ELECTRON_APP_PATH: appPath });
  await waitFor((m) => m.kind === 'window-show', 'the window to show');
});

afterAll(async () => {
  await main.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the main process', () => {
  it('opens a sandboxed, isolated window on app://annotray with the preload', () => {
    expect(all('sandbox')).toHaveLength(1);
    const window = all('window')[0]?.options as { webPreferences: Record<string, unknown>; show: boolean };
    expect(window.show).toBe(false);
    expect(window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(String(window.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect(all('load-url')[0]?.url).toBe(APP);
    expect(all('schemes')[0]?.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the renderer over app:// with a strict CSP, and nothing outside it', async () => {
    const index = await send({ type: 'fetch', url: APP });
    expect(index.status).toBe(200);
    expect((index.headers as Record<string, string>)['content-security-policy']).toContain(
      "script-src 'self';",
    );
    expect(index.body).toContain('<title>Annotray</title>');
    expect((await send({ type: 'fetch', url: 'app://annotray/assets/app.js' })).status).toBe(200);
    expect((await send({ type: 'fetch', url: 'app://annotray/%2e%2e/%2e%2e/secret.json' })).status).toBe(404);
    expect((await send({ type: 'fetch', url: 'app://annotray/missing.js' })).status).toBe(404);
  });

  it('puts a tray icon that exists, with the demo state and a full menu', async () => {
    const image = await waitFor(
      (m) => m.kind === 'tray-image' && String(m.path).endsWith('demo.png'),
      'the demo tray icon',
    );
    expect(image.exists).toBe(true);
    expect(String(image.path)).toContain(
      join('resources', 'tray', process.platform === 'darwin' ? 'mac' : 'linux'),
    );
    await waitFor(
      (m) => m.kind === 'tray-tooltip' && String(m.tooltip).startsWith('Annotray (demo)'),
      'the demo tooltip',
    );
    const menu = all('tray-menu').at(-1)?.labels as string[];
    expect(menu).toEqual(
      expect.arrayContaining([
        'Open Annotray',
        'Pause notifications',
        'Reconnect now',
        'Settings…',
        'Open log file',
        'Quit Annotray',
      ]),
    );
    expect(menu.some((l) => /^About Annotray \d+\.\d+\.\d+$/.test(l))).toBe(true);
  });

  it('raises native notifications from the demo feed and opens the task when one is clicked', async () => {
    const note = await waitFor((m) => m.kind === 'notification', 'a demo notification');
    const options = note.options as { title: string; icon: string };
    expect(options.icon).toMatch(/annotray\.png$/);
    await waitFor((m) => m.kind === 'push' && m.channel === 'push:events', 'events pushed to the window');
    // The demo's story starts with a task assignment.
    expect(options.title).toMatch(/^Task 100 assigned: /);
    await send({ type: 'click-notification', index: note.index });
    const opened = await waitFor((m) => m.kind === 'open-external', 'the task to open');
    expect(String(opened.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/projects\/3\/data\?task=100$/);
  });

  it('answers IPC from our page through AppCore and refuses every other page', async () => {
    const snapshot = (await invoke('app:snapshot', {})).value as {
      demo: boolean;
      channels: { channel: string }[];
      settings: { keyringWarning?: string };
    };
    expect(snapshot.demo).toBe(true);
    expect(snapshot.channels.map((c) => c.channel)).toEqual(['user_42']);
    expect(snapshot.settings.keyringWarning).toBeUndefined();
    await expect(invoke('app:snapshot', {}, 'https://evil.example/')).rejects.toThrow(
      /did not come from Annotray/,
    );
    await expect(invoke('task:open', { url: 'file:///etc/passwd', x: 1 })).rejects.toThrow(
      /invalid task:open/,
    );
    expect(
      ((await invoke('task:open', { url: 'javascript:alert(1)' })).value as { opened: boolean }).opened,
    ).toBe(false);
  });

  it('keeps the page in place: navigation and new windows are refused', async () => {
    expect((await send({ type: 'navigate', url: 'https://evil.example/' })).prevented).toBe(true);
    expect((await send({ type: 'open-window', url: 'https://evil.example/' })).result).toEqual({
      action: 'deny',
    });
    expect(all('open-external').some((m) => String(m.url).includes('evil.example'))).toBe(false);
  });

  it('pauses notifications from the tray menu', async () => {
    await send({ type: 'menu', labels: ['Pause notifications', 'For 1 hour'] });
    await waitFor(
      (m) => m.kind === 'tray-image' && String(m.path).endsWith('paused.png'),
      'the paused tray icon',
    );
    await waitFor(
      (m) => m.kind === 'tray-tooltip' && /Notifications paused until/.test(String(m.tooltip)),
      'the pause in the tooltip',
    );
    await send({ type: 'menu', labels: ['Resume notifications'] });
    const paused = main.messages.findIndex((m) => String(m.path).endsWith('paused.png'));
    await waitFor(
      (m) =>
        m.kind === 'tray-image' && String(m.path).endsWith('demo.png') && main.messages.indexOf(m) > paused,
      'the demo icon again',
    );
  });

  it('hides the window instead of closing it, and shows it from the tray', async () => {
    expect((await send({ type: 'close-window' })).prevented).toBe(true);
    await waitFor((m) => m.kind === 'window-hide', 'the window to hide');
    const shown = all('window-show').length;
    await send({ type: 'menu', labels: ['Open Annotray'] });
    expect(all('window-show').length).toBe(shown + 1);
  });

  it('shows a gap for the time the computer slept', async () => {
    await send({ type: 'power', event: 'suspend' });
    await send({ type: 'power', event: 'resume' });
    const gaps = await waitFor(
      (m) => m.kind === 'push' && m.channel === 'push:gap' && (m.payload as { to?: number }).to !== undefined,
      'a closed sleep gap',
    );
    expect((gaps.payload as { reason: string }).reason).toMatch(/asleep/);
  });

  it('writes a log file, opened from the tray, and an owner-only settings file', async () => {
    await send({ type: 'menu', labels: ['Open log file'] });
    const opened = await waitFor((m) => m.kind === 'open-path', 'the log file to open');
    expect(opened.path).toBe(join(dir, 'user-data', 'logs', 'annotray.log'));
    expect(readFileSync(String(opened.path), 'utf8')).toContain('Annotray starting');
    expect(statSync(join(dir, 'user-data', 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('registers the default global shortcut', () => {
    expect(all('shortcut').map((m) => m.accelerator)).toContain('CommandOrControl+Alt+Shift+N');
  });

  it('stops the engine, flushes the log and exits on Quit', async () => {
    const exited = new Promise<number | null>((resolve) => main.child.once('exit', (code) => resolve(code)));
    await send({ type: 'menu', labels: ['Quit Annotray'] });
    expect(await exited).toBe(0);
    expect(all('tray-destroyed')).toHaveLength(1);
    expect(readFileSync(join(dir, 'user-data', 'logs', 'annotray.log'), 'utf8')).toContain(
      'Annotray stopped',
    );
  });
});

describe('the main process, pre-configured by an admin', () => {
  let managed: MainProcess;
  let profile: string;
  let server: Server;
  let serverUrl: string;
  const authorizations: string[] = [];
  const TOKEN = 'managed-secret-token-0123456789';

  beforeAll(async () => {
    // The managed server: records what the channel sends and answers 503, so it keeps reconnecting.
    server = createServer((request, response) => {
      authorizations.push(request.headers.authorization ?? '');
      response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'annotray-managed-'));
    const config = join(profile, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        servers: [{ id: 'broken', url: 'ftp://nowhere', channels: ['x'] }],
        preferences: { sound: false },
      }),
    );
    managed = new MainProcess(
      {
        ANNOTRAY_USER_DATA: join(profile, 'user-data'),
        ANNOTRAY_CONFIG: config,
        ANNOTRAY_SERVER_URL: serverUrl,
        ANNOTRAY_CHANNELS: 'user_7',
        ANNOTRAY_TOKEN: TOKEN,
      },
      ['--verbose', '--hidden'],
    );
    await managed.waitFor(
      (m) => m.kind === 'tray-tooltip' && /Reconnecting|Connecting/.test(String(m.tooltip)),
      'the managed channel to connect',
    );
  });

  afterAll(async () => {
    await managed.stop();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('follows the managed server instead of the demo, and says who manages it', async () => {
    const snapshot = (await managed.invoke('app:snapshot', {})).value as {
      demo: boolean;
      channels: { channel: string }[];
      settings: {
        managedBy?: string;
        servers: { id: string; hasToken: boolean; tokenHint?: string }[];
        preferences: { sound: boolean };
      };
    };
    expect(snapshot.demo).toBe(false);
    expect(snapshot.channels.map((c) => c.channel)).toEqual(['user_7']);
    expect(snapshot.settings.servers).toEqual([
      expect.objectContaining({ id: '127.0.0.1', hasToken: true, tokenHint: '6789' }),
    ]);
    expect(snapshot.settings.preferences.sound).toBe(false);
    expect(snapshot.settings.managedBy).toMatch(
      /config\.json and environment variables \(some entries were ignored/,
    );
  });

  it('starts hidden in the tray when launched at login', () => {
    expect(managed.all('window-show')).toHaveLength(0);
  });

  it('opens Settings from the tray with one load of the settings view when no window exists yet', async () => {
    expect(managed.all('window')).toHaveLength(0);
    await managed.send({ type: 'menu', labels: ['Settings…'] });
    await managed.waitFor((m) => m.kind === 'window-show', 'the window to show');
    expect(managed.all('load-url').map((m) => m.url)).toEqual(['app://annotray/index.html#/settings']);
  });

  it('never writes the token to the log or the settings file in clear, even with --verbose', async () => {
    await managed.send({ type: 'menu', labels: ['Open log file'] });
    await managed.waitFor((m) => m.kind === 'open-path', 'the log file to be flushed and opened');
    const log = readFileSync(join(profile, 'user-data', 'logs', 'annotray.log'), 'utf8');
    expect(log).toMatch(/channel state .*"reconnecting"/);
    expect(log).toContain('managed configuration: managed server broken was ignored');
    expect(log).not.toContain(TOKEN);
    expect(readFileSync(join(profile, 'user-data', 'settings.json'), 'utf8')).not.toContain(TOKEN);
  });

  it('encrypts a saved token with safeStorage’s async API and sends it decrypted to the server', async () => {
    const own = 'persons-own-token-abcdefgh';
    const saved = (
      await managed.invoke('settings:saveServer', {
        server: {
          name: 'Mine',
          url: serverUrl,
          eventsPath: '',
          taskUrl: '',
          channels: ['user_8'],
          authScheme: 'auto',
          token: own,
          idleRefreshSeconds: 300,
        },
      })
    ).value as { ok: boolean };
    expect(saved.ok).toBe(true);
    const settings = JSON.parse(readFileSync(join(profile, 'user-data', 'settings.json'), 'utf8')) as {
      servers: { channels: string[]; token?: { kind: string; data: string } }[];
    };
    // What the stand-in's encryptStringAsync makes of a token (its deprecated sync API throws).
    const sealed = (token: string) =>
      Buffer.from(`fake:${Buffer.from(token).toString('hex')}`).toString('base64');
    expect(settings.servers.find((s) => s.channels.includes('user_8'))?.token).toEqual({
      kind: 'encrypted',
      data: sealed(own),
    });
    // Both tokens went through encryptStringAsync and decryptStringAsync on their way to the wire.
    for (let waited = 0; !authorizations.includes(`Token ${own}`) && waited < 8_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(new Set(authorizations)).toEqual(new Set([`Token ${TOKEN}`, `Token ${own}`]));
  });
});

describe('the main process, when start-up fails', () => {
  it('shows an error dialog, exits with code 1 and leaves the cause in the log', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'annotray-fail-'));
    const failing = new MainProcess({
      ANNOTRAY_USER_DATA: join(profile, 'user-data'),
      FAKE_ELECTRON_APP_PATH: ROOT,
      FAKE_ELECTRON_TRAY_FAILS: '1',
    });
    try {
      const code = await new Promise<number | null>((resolve) => failing.child.once('exit', resolve));
      expect(code).toBe(1);
      const box = failing.all('error-box')[0];
      expect(box?.title).toBe('Annotray could not start');
      expect(String(box?.content)).toContain('Failed to create tray icon');
      expect(String(box?.content)).toContain('annotray.log');
      const log = readFileSync(join(profile, 'user-data', 'logs', 'annotray.log'), 'utf8');
      expect(log).toMatch(/Annotray could not start.*Failed to create tray icon/);
    } finally {
      await failing.stop();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('the main process, when another application holds the shortcut', () => {
  it('says in Settings that the shortcut does not work, instead of silently having none', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'annotray-shortcut-'));
    const taken = new MainProcess({
      ANNOTRAY_USER_DATA: join(profile, 'user-data'),
      FAKE_ELECTRON_APP_PATH: ROOT,
      FAKE_ELECTRON_SHORTCUT_TAKEN: '1',
    });
    try {
      await taken.waitFor((m) => m.kind === 'window-show', 'the window to show');
      const snapshot = (await taken.invoke('app:snapshot', {})).value as {
        settings: { systemProblems?: string[] };
      };
      expect(snapshot.settings.systemProblems).toEqual([
        expect.stringMatching(
          /^The shortcut that shows the window does not work: CommandOrControl\+Alt\+Shift\+N is already used by another application/,
        ),
      ]);
    } finally {
      await taken.stop();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
