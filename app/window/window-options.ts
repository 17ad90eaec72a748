// The main window's frame: size, title, icon. Its webPreferences (every security switch) are
// written out literally where the window is created (main-window.ts), where a reader and
// electronegativity see them in one place; test/electron-main.test.ts checks them.

import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowFrame(options: {
  readonly icon?: string;
  readonly platform: string;
}): Omit<BrowserWindowConstructorOptions, 'webPreferences'> {
  return {
    width: 980,
    height: 700,
    minWidth: 640,
    minHeight: 420,
    // Shown by MainWindow.show(); a window that shows itself before loading flashes white.
    show: false,
    title: 'Annotray',
    autoHideMenuBar: true,
    backgroundColor: '#f7f7fb',
    // macOS and Windows take the icon from the app bundle / executable.
    ...(options.icon && options.platform === 'linux' ? { icon: options.icon } : {}),
  };
}
