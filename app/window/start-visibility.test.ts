import { describe, expect, it } from 'vitest';
import { dockFollowsWindow, type StartApp, showAtStart, startsHidden } from './start-visibility.ts';

function fakeApp(wasOpenedAtLogin: boolean, withDock = true) {
  const calls: string[] = [];
  const app: StartApp = {
    getLoginItemSettings: () => {
      calls.push('login item settings');
      return { wasOpenedAtLogin };
    },
    dock: withDock
      ? {
          show: async () => {
            calls.push('dock show');
          },
          hide: () => {
            calls.push('dock hide');
          },
        }
      : undefined,
  };
  const window = { show: () => calls.push('window show') };
  return { app, window, calls };
}

describe('startsHidden', () => {
  it('is true with the hidden flag on any platform, and for a macOS login item', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(startsHidden({ argv: ['annotray', '--hidden'], platform, app: fakeApp(false).app })).toBe(true);
      expect(startsHidden({ argv: ['annotray'], platform, app: fakeApp(false).app })).toBe(false);
    }
    expect(startsHidden({ argv: ['annotray'], platform: 'darwin', app: fakeApp(true).app })).toBe(true);
  });

  it('asks about the login item only on macOS, where it means something', () => {
    const { app, calls } = fakeApp(true);
    expect(startsHidden({ argv: ['annotray'], platform: 'linux', app })).toBe(false);
    expect(startsHidden({ argv: ['annotray'], platform: 'win32', app })).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('showAtStart', () => {
  it('shows the window on an ordinary start', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { app, window, calls } = fakeApp(false);
      showAtStart({ argv: ['annotray'], platform, app, window });
      expect(calls.filter((c) => c !== 'login item settings')).toEqual(['window show']);
    }
  });

  it('at login keeps the window closed, and on macOS hides the Dock icon', () => {
    const linux = fakeApp(false);
    showAtStart({ argv: ['annotray', '--hidden'], platform: 'linux', ...linux });
    expect(linux.calls).toEqual([]);
    const mac = fakeApp(true);
    showAtStart({ argv: ['Annotray'], platform: 'darwin', ...mac });
    expect(mac.calls).toEqual(['login item settings', 'dock hide']);
    const noDock = fakeApp(true, false);
    showAtStart({ argv: ['Annotray'], platform: 'darwin', ...noDock });
    expect(noDock.calls).toEqual(['login item settings']);
  });
});

describe('dockFollowsWindow', () => {
  it('on macOS shows the Dock icon with the window and hides it after; elsewhere leaves the dock alone', () => {
    const mac = fakeApp(false);
    const follow = dockFollowsWindow('darwin', mac.app);
    follow(true);
    follow(false);
    expect(mac.calls).toEqual(['dock show', 'dock hide']);
    for (const platform of ['linux', 'win32'] as const) {
      const other = fakeApp(false);
      dockFollowsWindow(platform, other.app)(true);
      dockFollowsWindow(platform, other.app)(false);
      expect(other.calls).toEqual([]);
    }
  });
});
