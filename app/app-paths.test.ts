import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from './app-paths.ts';

describe('appPaths', () => {
  it('finds the parts in the repo during development', () => {
    const paths = appPaths({
      isPackaged: false,
      appPath: '/src/annotray',
      resourcesPath: '/electron/resources',
      userData: '/home/a/.config/Annotray',
      mainDir: '/src/annotray/dist/electron',
    });
    expect(paths).toEqual({
      rendererDir: join('/src/annotray', 'dist', 'renderer'),
      preload: join('/src/annotray/dist/electron', 'preload.cjs'),
      trayIconsDir: join('/src/annotray', 'resources', 'tray'),
      appIcon: join('/src/annotray', 'resources', 'icons', 'annotray.png'),
      settingsDir: '/home/a/.config/Annotray',
      historyDir: join('/home/a/.config/Annotray', 'history'),
      logFile: join('/home/a/.config/Annotray', 'logs', 'annotray.log'),
    });
  });

  it('takes the tray icons from the resources folder beside app.asar when packaged', () => {
    const paths = appPaths({
      isPackaged: true,
      appPath: '/opt/Annotray/resources/app.asar',
      resourcesPath: '/opt/Annotray/resources',
      userData: '/u',
      mainDir: '/opt/Annotray/resources/app.asar/dist/electron',
    });
    expect(paths.rendererDir).toBe(join('/opt/Annotray/resources/app.asar', 'dist', 'renderer'));
    expect(paths.trayIconsDir).toBe(join('/opt/Annotray/resources', 'tray'));
    expect(paths.appIcon).toBe(join('/opt/Annotray/resources', 'icons', 'annotray.png'));
  });
});
