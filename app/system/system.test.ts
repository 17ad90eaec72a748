import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../engine/testing/fake-clock.ts';
import {
  autostartDesktopEntry,
  autostartPath,
  launchCommand,
  quoteExecArgument,
  setLinuxAutostart,
} from './autostart.ts';
import { OnlineWatcher } from './online-watcher.ts';
import { type PowerMonitorLike, SLEEP_REASON, watchPowerEvents } from './power-events.ts';
import { acceleratorProblem, type GlobalShortcutLike, ShortcutBinding } from './shortcut.ts';

describe('power events', () => {
  it('opens a gap on sleep and reconnects on wake and on unlock, until unwatched', () => {
    const power = new EventEmitter() as EventEmitter & PowerMonitorLike;
    const calls: string[] = [];
    const stop = watchPowerEvents(
      power,
      {
        suspend: (r) => {
          calls.push(`suspend ${r}`);
        },
        resume: (r) => calls.push(`resume ${r}`),
      },
      { log: () => {} },
    );
    power.emit('suspend');
    power.emit('resume');
    power.emit('unlock-screen');
    expect(calls).toEqual([
      `suspend ${SLEEP_REASON}`,
      'resume the computer woke up',
      'resume the screen was unlocked',
    ]);
    stop();
    power.emit('resume');
    expect(calls).toHaveLength(3);
    expect(power.listenerCount('resume')).toBe(0);
  });
});

describe('OnlineWatcher', () => {
  it('reports only offline → online transitions, checking every 10 s', () => {
    const clock = new FakeClock();
    let online = true;
    const events: string[] = [];
    const watcher = new OnlineWatcher({
      isOnline: () => online,
      clock,
      onOnline: () => events.push('online'),
      onOffline: () => events.push('offline'),
    });
    watcher.start();
    clock.advance(30_000);
    expect(events).toEqual([]);
    online = false;
    clock.advance(10_000);
    online = true;
    clock.advance(5_000);
    expect(events).toEqual(['offline']);
    clock.advance(5_000);
    expect(events).toEqual(['offline', 'online']);
    watcher.stop();
    expect(clock.pending).toEqual([]);
  });
});

describe('autostart', () => {
  it('puts the entry under XDG_CONFIG_HOME or ~/.config', () => {
    expect(autostartPath({}, '/home/ann')).toBe('/home/ann/.config/autostart/annotray.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe('/cfg/autostart/annotray.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/ann')).toBe(
      '/home/ann/.config/autostart/annotray.desktop',
    );
  });

  it('starts the AppImage itself, the installed binary, or Electron with the app in development', () => {
    const base = { execPath: '/tmp/.mount_Annot/annotray', appPath: '/src/annotray', isPackaged: true };
    expect(launchCommand({ ...base, appImage: '/home/ann/Apps/Annotray.AppImage' })).toEqual([
      '/home/ann/Apps/Annotray.AppImage',
      '--hidden',
    ]);
    expect(launchCommand(base)).toEqual(['/tmp/.mount_Annot/annotray', '--hidden']);
    expect(launchCommand({ ...base, isPackaged: false })).toEqual([
      '/tmp/.mount_Annot/annotray',
      '/src/annotray',
      '--hidden',
    ]);
  });

  it('quotes Exec arguments as the Desktop Entry Specification says', () => {
    expect(quoteExecArgument('/opt/Annotray/annotray')).toBe('/opt/Annotray/annotray');
    expect(quoteExecArgument('/home/ann/My Apps/Annotray.AppImage')).toBe(
      '"/home/ann/My Apps/Annotray.AppImage"',
    );
    expect(quoteExecArgument('/a/$HOME/"x"')).toBe('"/a/\\\\$HOME/\\\\"x\\\\""');
    expect(quoteExecArgument('/a\\b')).toBe('"/a\\\\\\\\b"');
    expect(quoteExecArgument('100%')).toBe('100%%');
  });

  it('writes a complete entry, and removes it', () => {
    const entry = autostartDesktopEntry({ command: ['/home/ann/My Apps/Annotray.AppImage', '--hidden'] });
    expect(entry).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Annotray',
        'Comment=Notifications for OCR annotation work',
        'Exec="/home/ann/My Apps/Annotray.AppImage" --hidden',
        'Icon=annotray',
        'Terminal=false',
        'Categories=Office;Utility;',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'annotray-autostart-'));
    try {
      const path = join(dir, 'autostart', 'annotray.desktop');
      expect(setLinuxAutostart(path, true, entry)).toBeUndefined();
      expect(readFileSync(path, 'utf8')).toBe(entry);
      expect(statSync(path).mode & 0o777).toBe(0o644);
      expect(setLinuxAutostart(path, false, entry)).toBeUndefined();
      expect(setLinuxAutostart(path, false, entry)).toBeUndefined();
      const blocker = join(dir, 'file');
      writeFileSync(blocker, '');
      expect(setLinuxAutostart(join(blocker, 'x.desktop'), true, entry)).toMatch(
        /^could not write .*x\.desktop: /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('global shortcut', () => {
  it('explains an accelerator Electron would reject', () => {
    for (const ok of [
      'CommandOrControl+Shift+A',
      'Alt+F4',
      'F12',
      'Ctrl++',
      'Super+Space',
      'CmdOrCtrl+Alt+num5',
    ])
      expect(acceleratorProblem(ok)).toBeUndefined();
    expect(acceleratorProblem('A')).toMatch(/needs a modifier/);
    expect(acceleratorProblem('Hyper+A')).toMatch(/"Hyper" is not a modifier/);
    expect(acceleratorProblem('Ctrl+Shift')).toMatch(/"Shift" is not a key/);
    expect(acceleratorProblem('Ctrl + A')).toMatch(/without spaces/);
  });

  function fakeShortcuts(taken: string[] = []) {
    const registered = new Map<string, () => void>();
    const api: GlobalShortcutLike = {
      register: (a, cb) => {
        if (taken.includes(a) || registered.has(a)) return false;
        registered.set(a, cb);
        return true;
      },
      unregister: (a) => void registered.delete(a),
    };
    return { api, registered };
  }

  it('binds, rebinds and unbinds', () => {
    const { api, registered } = fakeShortcuts();
    let toggled = 0;
    const binding = new ShortcutBinding(api, () => (toggled += 1));
    expect(binding.set('CommandOrControl+Shift+A')).toBeUndefined();
    registered.get('CommandOrControl+Shift+A')?.();
    expect(toggled).toBe(1);
    expect(binding.set('Alt+Shift+N')).toBeUndefined();
    expect([...registered.keys()]).toEqual(['Alt+Shift+N']);
    expect(binding.set('')).toBeUndefined();
    expect(registered.size).toBe(0);
  });

  it('keeps the previous shortcut when the new one is taken or invalid', () => {
    const { api, registered } = fakeShortcuts(['Alt+Space']);
    const binding = new ShortcutBinding(api, () => {});
    binding.set('CommandOrControl+Shift+A');
    expect(binding.set('Alt+Space')).toMatch(/already used/);
    expect(binding.set('Bogus+Q')).toMatch(/not a modifier/);
    expect(binding.current).toBe('CommandOrControl+Shift+A');
    expect([...registered.keys()]).toEqual(['CommandOrControl+Shift+A']);
  });
});
