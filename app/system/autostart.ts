// "Open at login". macOS and Windows have an API (app.setLoginItemSettings); Linux desktops
// read ~/.config/autostart/*.desktop (XDG Autostart). The entry's text, its path and the
// command to start are pure functions; the file writing is a few lines over node:fs.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const AUTOSTART_FILE = 'annotray.desktop';
/** Started at login: stay in the tray, do not open the window. */
export const HIDDEN_FLAG = '--hidden';

export function autostartPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart', AUTOSTART_FILE);
}

/**
 * The command that starts Annotray again: the AppImage itself (its execPath lives in a
 * temporary mount that is gone after a reboot), the installed binary, or in development
 * Electron with the app folder.
 */
export function launchCommand(options: {
  readonly execPath: string;
  readonly isPackaged: boolean;
  readonly appPath: string;
  readonly appImage?: string;
}): string[] {
  if (options.appImage) return [options.appImage, HIDDEN_FLAG];
  if (options.isPackaged) return [options.execPath, HIDDEN_FLAG];
  return [options.execPath, options.appPath, HIDDEN_FLAG];
}

/**
 * One argument of a desktop entry's Exec key: quoted when it holds a reserved character, with
 * `"`, `` ` ``, `$` and `\` escaped inside the quotes, then every `\` doubled again because
 * Exec is a string value (Desktop Entry Specification, "The Exec key"); `%` is doubled.
 */
export function quoteExecArgument(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(percent) && percent !== '') return percent;
  const quoted = `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** A string value of a desktop entry: one line, escapes per the specification. */
function entryValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export function autostartDesktopEntry(options: {
  readonly command: readonly string[];
  readonly name?: string;
  readonly icon?: string;
}): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${entryValue(options.name ?? 'Annotray')}`,
    'Comment=Notifications for OCR annotation work',
    `Exec=${options.command.map(quoteExecArgument).join(' ')}`,
    `Icon=${entryValue(options.icon ?? 'annotray')}`,
    'Terminal=false',
    'Categories=Office;Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the autostart entry; returns an error a person can act on, or undefined. */
export function setLinuxAutostart(path: string, enabled: boolean, entry: string): string | undefined {
  try {
    if (enabled) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry, { mode: 0o644 });
    } else {
      rmSync(path, { force: true });
    }
    return undefined;
  } catch (error) {
    return `could not ${enabled ? 'write' : 'remove'} ${path}: ${(error as Error).message}`;
  }
}
