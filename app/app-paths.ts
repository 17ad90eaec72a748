// Where the app finds its parts and keeps its data, in development (the repo) and packaged
// (app.asar + the resources folder beside it). Pure, so the layout is tested in one place.

import { join } from 'node:path';

export interface AppPaths {
  /** The renderer build served at app://annotray/. */
  readonly rendererDir: string;
  readonly preload: string;
  /** The tray images (resources/tray: mac/, win/, linux/). */
  readonly trayIconsDir: string;
  /** The app icon as PNG: window icon on Linux, notification icon on Linux and Windows. */
  readonly appIcon: string;
  readonly settingsDir: string;
  readonly historyDir: string;
  readonly logFile: string;
}

export function appPaths(options: {
  readonly isPackaged: boolean;
  /** app.getAppPath(): the repo root in development, …/resources/app.asar when packaged. */
  readonly appPath: string;
  /** process.resourcesPath: where electron-builder's extraResources land. */
  readonly resourcesPath: string;
  readonly userData: string;
  /** The folder of the compiled main.js (dist/electron). */
  readonly mainDir: string;
}): AppPaths {
  const resources = options.isPackaged ? options.resourcesPath : join(options.appPath, 'resources');
  return {
    rendererDir: join(options.appPath, 'dist', 'renderer'),
    preload: join(options.mainDir, 'preload.cjs'),
    trayIconsDir: join(resources, 'tray'),
    appIcon: join(resources, 'icons', 'annotray.png'),
    settingsDir: options.userData,
    historyDir: join(options.userData, 'history'),
    logFile: join(options.userData, 'logs', 'annotray.log'),
  };
}
