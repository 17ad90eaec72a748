// A stand-in for the parts of Electron that Annotray's main process uses, so the real
// composition root (electron/main.ts) runs in plain Node where no Electron binary exists.
// It records what main does (windows, tray, notifications, IPC) and lets the parent test,
// connected over the fork() channel, act like a person and the OS: invoke IPC as the window,
// click tray menu items, fetch app:// URLs, send power events, quit.
// FAKE_ELECTRON_PACKAGED=1 makes it a packaged app: `app.isPackaged` true, the app's own
// package.json, `process.resourcesPath` (FAKE_ELECTRON_RESOURCES_PATH) and the executable
// (FAKE_ELECTRON_EXE) as electron-builder lays them out.

import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

function report(kind: string, data: Record<string, unknown> = {}): void {
  process.send?.({ kind, ...data });
}

const paths = new Map<string, string>();
let quitting = false;
const packaged = process.env.FAKE_ELECTRON_PACKAGED === '1';
// Electron sets it for the main process: the folder holding app.asar and the extraResources.
if (packaged) Object.assign(process, { resourcesPath: process.env.FAKE_ELECTRON_RESOURCES_PATH });

class FakeApp extends EventEmitter {
  readonly isPackaged = packaged;
  readonly dock = undefined;
  setPath(name: string, value: string): void {
    paths.set(name, value);
  }
  getPath(name: string): string {
    if (name === 'exe') return process.env.FAKE_ELECTRON_EXE ?? process.execPath;
    const path = paths.get(name);
    if (!path) throw new Error(`fake electron: no path ${name}`);
    return path;
  }
  getAppPath(): string {
    return process.env.FAKE_ELECTRON_APP_PATH ?? process.cwd();
  }
  getVersion(): string {
    const dir = packaged ? this.getAppPath() : process.cwd();
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  }
  setAppUserModelId(): void {}
  exit(code = 0): void {
    report('exit', { code });
    setTimeout(() => process.exit(code), 20);
  }
  enableSandbox(): void {
    report('sandbox');
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  setBadgeCount(count: number): boolean {
    report('badge', { count });
    return true;
  }
  setLoginItemSettings(settings: unknown): void {
    report('login-item', { settings });
  }
  getLoginItemSettings() {
    return { openAtLogin: false, wasOpenedAtLogin: false };
  }
  quit(): void {
    if (quitting) return;
    quitting = true;
    this.emit('before-quit', { preventDefault() {} });
    let prevented = false;
    this.emit('will-quit', {
      preventDefault() {
        prevented = true;
      },
    });
    quitting = false;
    if (!prevented) {
      report('exit');
      setTimeout(() => process.exit(0), 20);
    }
  }
}

export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    report('schemes', { schemes });
  },
};

const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as Listener | undefined,
    setPermissionRequestHandler(handler: Listener): void {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(): void {},
    setDevicePermissionHandler(): void {},
    protocol: {
      handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
        protocolHandlers.set(scheme, handler);
      },
    },
    webRequest: { onHeadersReceived(): void {} },
  },
};

/** Answers on a later turn of the event loop, as the real keyring does. */
const later = <T>(value: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(value());
      } catch (error) {
        reject(error);
      }
    }),
  );

const deprecated = (name: string) => () => {
  throw new Error(`fake electron: safeStorage.${name} is deprecated in Electron 45; use the async API`);
};

/** Electron 45's safeStorage: the async API works; the deprecated synchronous one throws. */
export const safeStorage = {
  isAsyncEncryptionAvailable: () => later(() => true),
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: (plain: string) =>
    later(() => Buffer.from(`fake:${Buffer.from(plain).toString('hex')}`)),
  decryptStringAsync: (data: Buffer) =>
    later(() => {
      const text = data.toString();
      if (!text.startsWith('fake:')) throw new Error('fake electron: not encrypted by this keyring');
      return { result: Buffer.from(text.slice(5), 'hex').toString(), shouldReEncrypt: false };
    }),
  isEncryptionAvailable: deprecated('isEncryptionAvailable'),
  encryptString: deprecated('encryptString'),
  decryptString: deprecated('decryptString'),
};

class FakeWebContents extends EventEmitter {
  url = '';
  windowOpenHandler: Listener | undefined;
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    report('load-url', { url });
    this.emit('did-navigate', {}, url);
    setTimeout(() => this.emit('did-finish-load'), 5);
  }
  send(channel: string, payload: unknown): void {
    report('push', {
      channel,
      size: JSON.stringify(payload).length,
      payload: channel === 'push:gap' || channel === 'push:settings' ? payload : undefined,
    });
  }
  isDestroyed(): boolean {
    return false;
  }
  reload(): void {}
}

let mainWindow: FakeBrowserWindow | undefined;

class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  #visible = false;
  constructor(options: Record<string, unknown>) {
    super();
    mainWindow = this;
    report('window', { options });
    setTimeout(() => this.emit('ready-to-show'), 5);
  }
  async loadURL(url: string): Promise<void> {
    await this.webContents.loadURL(url);
  }
  show(): void {
    this.#visible = true;
    report('window-show');
    this.emit('show');
  }
  hide(): void {
    this.#visible = false;
    report('window-hide');
    this.emit('hide');
  }
  focus(): void {}
  isVisible(): boolean {
    return this.#visible;
  }
  isFocused(): boolean {
    return this.#visible;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return false;
  }
  getTitle(): string {
    return 'Annotray';
  }
  setOverlayIcon(image: { path: string; isEmpty(): boolean } | null, description: string): void {
    report('overlay', { path: image?.path ?? null, exists: image ? !image.isEmpty() : null, description });
  }
}

export { FakeBrowserWindow as BrowserWindow };

export const nativeImage = {
  createFromPath(path: string) {
    return { path, isEmpty: () => !existsSync(path), setTemplateImage() {} };
  },
};

type MenuItem = {
  label?: string;
  click?: () => void;
  submenu?: MenuItem[];
  enabled?: boolean;
  type?: string;
};
let trayMenu: MenuItem[] = [];

class FakeTray extends EventEmitter {
  constructor(image: { path: string; isEmpty(): boolean }) {
    super();
    // What Electron throws where the desktop has no tray (no StatusNotifierWatcher, no X11).
    if (process.env.FAKE_ELECTRON_TRAY_FAILS) throw new Error('Failed to create tray icon');
    report('tray-image', { path: image.path, exists: !image.isEmpty() });
  }
  setImage(image: { path: string; isEmpty(): boolean }): void {
    report('tray-image', { path: image.path, exists: !image.isEmpty() });
  }
  setToolTip(tooltip: string): void {
    report('tray-tooltip', { tooltip });
  }
  setTitle(): void {}
  setContextMenu(menu: MenuItem[]): void {
    trayMenu = menu;
    report('tray-menu', { labels: menu.map((m) => m.label ?? '—') });
  }
  destroy(): void {
    report('tray-destroyed');
  }
}

export { FakeTray as Tray };

export const Menu = {
  buildFromTemplate: (template: MenuItem[]) => template,
};

class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly options: Record<string, unknown>;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    notifications.push(this);
  }
  show(): void {
    report('notification', { options: this.options, index: notifications.indexOf(this) });
  }
  close(): void {
    this.emit('close');
  }
}
const notifications: FakeNotification[] = [];

export { FakeNotification as Notification };

const ipcHandlers = new Map<string, Listener>();
export const ipcMain = {
  handle(channel: string, handler: Listener): void {
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcHandlers.delete(channel);
  },
  on(): void {},
};

export const globalShortcut = {
  register(accelerator: string): boolean {
    report('shortcut', { accelerator });
    // Another application holds it.
    return !process.env.FAKE_ELECTRON_SHORTCUT_TAKEN;
  },
  unregister(): void {},
};

export const powerMonitor = new EventEmitter();
/** Squirrel's updater, which electron-updater drives on macOS. */
export const autoUpdater = Object.assign(new EventEmitter(), {
  setFeedURL(options: unknown): void {
    report('native-updater-feed', { options });
  },
  checkForUpdates(): void {},
  quitAndInstall(): void {},
});
export const net = { isOnline: () => true };
export const shell = {
  async openExternal(url: string): Promise<void> {
    report('open-external', { url });
  },
  async openPath(path: string): Promise<string> {
    report('open-path', { path });
    return '';
  },
};
export const dialog = {
  showErrorBox(title: string, content: string): void {
    report('error-box', { title, content });
  },
  async showMessageBox(options: Record<string, unknown>) {
    report('dialog', { message: options.message, detail: options.detail });
    return { response: 0 };
  },
};

function findItem(items: MenuItem[], labels: string[]): MenuItem | undefined {
  const [first, ...rest] = labels;
  const item = items.find((i) => i.label === first);
  return rest.length === 0 ? item : findItem(item?.submenu ?? [], rest);
}

type Command =
  | { type: 'invoke'; id: number; channel: string; request: unknown; url: string }
  | { type: 'fetch'; id: number; url: string }
  | { type: 'menu'; id: number; labels: string[] }
  | { type: 'power'; id: number; event: string }
  | { type: 'click-notification'; id: number; index: number }
  | { type: 'close-window'; id: number }
  | { type: 'open-window'; id: number; url: string }
  | { type: 'navigate'; id: number; url: string }
  | { type: 'quit'; id: number };

process.on('message', (command: Command) => {
  const reply = (data: Record<string, unknown>) => process.send?.({ kind: 'reply', id: command.id, ...data });
  const run = async (): Promise<Record<string, unknown>> => {
    switch (command.type) {
      case 'invoke': {
        const handler = ipcHandlers.get(command.channel);
        if (!handler) throw new Error(`No handler registered for '${command.channel}'`);
        return { value: await handler({ senderFrame: { url: command.url, parent: null } }, command.request) };
      }
      case 'fetch': {
        const handler = protocolHandlers.get(new URL(command.url).protocol.slice(0, -1));
        if (!handler) throw new Error('no protocol handler');
        const response = await handler(new Request(command.url));
        return {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
      }
      case 'menu': {
        const item = findItem(trayMenu, command.labels);
        if (!item?.click) throw new Error(`no menu item ${command.labels.join(' > ')}`);
        item.click();
        return {};
      }
      case 'power':
        powerMonitor.emit(command.event);
        return {};
      case 'click-notification':
        notifications[command.index]?.emit('click');
        return {};
      case 'close-window': {
        let prevented = false;
        mainWindow?.emit('close', {
          preventDefault() {
            prevented = true;
          },
        });
        return { prevented };
      }
      case 'open-window':
        return { result: mainWindow?.webContents.windowOpenHandler?.({ url: command.url }) };
      case 'navigate': {
        let prevented = false;
        mainWindow?.webContents.emit(
          'will-navigate',
          { preventDefault: () => (prevented = true) },
          command.url,
        );
        return { prevented };
      }
      case 'quit':
        app.quit();
        return {};
    }
  };
  run().then(
    (data) => reply({ ok: true, ...data }),
    (error: unknown) => reply({ ok: false, error: String(error) }),
  );
});

export default {
  app,
  protocol,
  session,
  safeStorage,
  BrowserWindow: FakeBrowserWindow,
  nativeImage,
  Tray: FakeTray,
  Menu,
  Notification: FakeNotification,
  ipcMain,
  globalShortcut,
  powerMonitor,
  autoUpdater,
  net,
  shell,
  dialog,
};
