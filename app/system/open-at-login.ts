// "Open at login" on every platform. Linux desktops start what ~/.config/autostart lists
// (autostart.ts writes the entry); macOS and Windows keep a login item through Electron's
// app.setLoginItemSettings. Either way Annotray starts with HIDDEN_FLAG, in the tray.

import { homedir } from 'node:os';
import type { App } from 'electron';
import type { Logger } from '../../engine/ports.ts';
import {
  autostartDesktopEntry,
  autostartPath,
  HIDDEN_FLAG,
  launchCommand,
  setLinuxAutostart,
} from './autostart.ts';

export interface OpenAtLoginOptions {
  readonly platform: NodeJS.Platform;
  readonly app: Pick<App, 'isPackaged' | 'getAppPath' | 'setLoginItemSettings'>;
  /** process.execPath: the installed binary, or Electron's in development. */
  readonly execPath: string;
  /** process.env, read at each change: APPIMAGE (where the AppImage lives), XDG_CONFIG_HOME. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Turns open at login on or off; returns a problem a person can act on, or undefined. */
export type SetOpenAtLogin = (enabled: boolean) => string | undefined;

export function openAtLoginSetter(options: OpenAtLoginOptions): SetOpenAtLogin {
  const { platform, app, execPath, env } = options;
  return (enabled) => {
    if (platform === 'linux') {
      const command = launchCommand({
        execPath,
        isPackaged: app.isPackaged,
        appPath: app.getAppPath(),
        ...(env.APPIMAGE ? { appImage: env.APPIMAGE } : {}),
      });
      return setLinuxAutostart(autostartPath(env, homedir()), enabled, autostartDesktopEntry({ command }));
    }
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    return undefined;
  };
}

/**
 * Registers open at login again at start when the preference is on: the AppImage or the
 * install folder may have moved since it was turned on. A problem is logged, not fatal.
 */
export function renewOpenAtLogin(enabled: boolean, setOpenAtLogin: SetOpenAtLogin, logger: Logger): void {
  if (!enabled) return;
  const problem = setOpenAtLogin(true);
  if (problem) logger.log('warn', 'could not register open at login', { problem });
}
