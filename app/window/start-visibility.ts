// Where Annotray shows itself. Started at login it stays in the tray: the Linux autostart entry
// and the Windows login item pass HIDDEN_FLAG, and a macOS login item (which passes no
// arguments) is recognised by Electron's wasOpenedAtLogin. On macOS a tray app is in the Dock
// (and the app switcher) only while its window shows.

import type { Dock, LoginItemSettings } from 'electron';
import { HIDDEN_FLAG } from '../system/autostart.ts';

/** The parts of Electron's app read here. */
export interface StartApp {
  getLoginItemSettings(): Pick<LoginItemSettings, 'wasOpenedAtLogin'>;
  /** Only on macOS. */
  readonly dock: Pick<Dock, 'show' | 'hide'> | undefined;
}

export interface StartVisibilityOptions {
  readonly argv: readonly string[];
  readonly platform: NodeJS.Platform;
  readonly app: StartApp;
  readonly window: { show(): void };
}

/** Whether this start is a login's, which keeps the window closed. */
export function startsHidden(options: Pick<StartVisibilityOptions, 'argv' | 'platform' | 'app'>): boolean {
  return (
    options.argv.includes(HIDDEN_FLAG) ||
    (options.platform === 'darwin' && options.app.getLoginItemSettings().wasOpenedAtLogin)
  );
}

/** Shows the window, or at login keeps Annotray in the tray (and out of the macOS Dock). */
export function showAtStart(options: StartVisibilityOptions): void {
  if (!startsHidden(options)) options.window.show();
  else if (options.platform === 'darwin') options.app.dock?.hide();
}

/** What the window's visibility changes do to the Dock: on macOS it follows; elsewhere nothing. */
export function dockFollowsWindow(
  platform: NodeJS.Platform,
  app: Pick<StartApp, 'dock'>,
): (visible: boolean) => void {
  return (visible) => {
    if (platform === 'darwin') void (visible ? app.dock?.show() : app.dock?.hide());
  };
}
