import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, Settings } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAtLoginSetter, renewOpenAtLogin } from './open-at-login.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotray-login-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeApp(isPackaged: boolean) {
  const loginItems: Settings[] = [];
  const app: Pick<App, 'isPackaged' | 'getAppPath' | 'setLoginItemSettings'> = {
    isPackaged,
    getAppPath: () => '/src/annotray',
    setLoginItemSettings: (settings) => {
      loginItems.push(settings);
    },
  };
  return { app, loginItems };
}

describe('openAtLoginSetter', () => {
  it('on Linux writes an autostart entry that starts the AppImage hidden, and removes it', () => {
    const { app, loginItems } = fakeApp(true);
    const set = openAtLoginSetter({
      platform: 'linux',
      app,
      execPath: '/tmp/.mount_Annot/annotray',
      env: { XDG_CONFIG_HOME: dir, APPIMAGE: '/home/ann/My Apps/Annotray.AppImage' },
    });
    const entry = join(dir, 'autostart', 'annotray.desktop');
    expect(set(true)).toBeUndefined();
    expect(readFileSync(entry, 'utf8')).toContain('\nExec="/home/ann/My Apps/Annotray.AppImage" --hidden\n');
    expect(set(false)).toBeUndefined();
    expect(() => readFileSync(entry)).toThrow(/ENOENT/);
    expect(loginItems).toEqual([]);
  });

  it('on Linux in development starts Electron with the app folder', () => {
    const set = openAtLoginSetter({
      platform: 'linux',
      app: fakeApp(false).app,
      execPath: '/src/annotray/node_modules/electron/dist/electron',
      env: { XDG_CONFIG_HOME: dir },
    });
    expect(set(true)).toBeUndefined();
    expect(readFileSync(join(dir, 'autostart', 'annotray.desktop'), 'utf8')).toContain(
      '\nExec=/src/annotray/node_modules/electron/dist/electron /src/annotray --hidden\n',
    );
  });

  it('on Linux says why the entry could not be written', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const set = openAtLoginSetter({
      platform: 'linux',
      app: fakeApp(true).app,
      execPath: '/opt/Annotray/annotray',
      env: { XDG_CONFIG_HOME: blocker },
    });
    expect(set(true)).toMatch(/^could not write .*annotray\.desktop: /);
  });

  it('on macOS and Windows keeps a login item that starts hidden', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { app, loginItems } = fakeApp(true);
      const set = openAtLoginSetter({
        platform,
        app,
        execPath: '/opt/annotray',
        env: { XDG_CONFIG_HOME: dir },
      });
      expect(set(true)).toBeUndefined();
      expect(set(false)).toBeUndefined();
      expect(loginItems).toEqual([
        { openAtLogin: true, args: ['--hidden'] },
        { openAtLogin: false, args: ['--hidden'] },
      ]);
    }
  });
});

describe('renewOpenAtLogin', () => {
  it('registers again only when the preference is on, and logs a problem', () => {
    const calls: boolean[] = [];
    const works = (enabled: boolean) => {
      calls.push(enabled);
      return undefined;
    };
    const logged: unknown[] = [];
    const logger = { log: (...args: unknown[]) => logged.push(args) };
    renewOpenAtLogin(false, works, logger);
    expect(calls).toEqual([]);
    renewOpenAtLogin(true, works, logger);
    expect(calls).toEqual([true]);
    expect(logged).toEqual([]);
    renewOpenAtLogin(true, () => 'could not write /x: EACCES', logger);
    expect(logged).toEqual([
      ['warn', 'could not register open at login', { problem: 'could not write /x: EACCES' }],
    ]);
  });
});
