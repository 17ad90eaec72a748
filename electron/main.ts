// Annotray's main process: the composition root. It plugs Electron into AppCore's ports
// (Notification, safeStorage, electron-store, shell, powerMonitor, Tray, the window). The
// decisions (open at login, session hardening, hidden start, the About text, the reset
// notice) live in app/, tested in Node; what stays here is wiring and the start-up and quit
// sequence: the start-up error dialog, falling back to settings in memory, and the log lines.

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  app,
  dialog,
  globalShortcut,
  ipcMain,
  Notification,
  net,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import ElectronStore from 'electron-store';
import { AppCore, type SettingsRepository } from '../app/app-core.ts';
import { appPaths } from '../app/app-paths.ts';
import { LocalDemoFeed } from '../app/demo/demo-feed.ts';
import { Disposers } from '../app/disposers.ts';
import { registerInvokeHandlers } from '../app/ipc/ipc-handlers.ts';
import { RotatingFileLogger } from '../app/log/rotating-file-logger.ts';
import { NativeNotifier } from '../app/notifications/native-notifier.ts';
import { notificationOptions } from '../app/notifications/notification-options.ts';
import {
  applyManagedConfig,
  describeManagedSources,
  loadManagedConfig,
  sealManagedConfig,
  withManagedConfig,
} from '../app/settings/managed-config.ts';
import { safeStorageVault } from '../app/settings/safe-storage-vault.ts';
import { settingsResetIntent } from '../app/settings/settings-reset-intent.ts';
import {
  type CorruptSettingsReport,
  electronStoreOptions,
  MemorySettingsRepository,
  StoreSettingsRepository,
} from '../app/settings/settings-store.ts';
import { OnlineWatcher } from '../app/system/online-watcher.ts';
import { openAtLoginSetter, renewOpenAtLogin } from '../app/system/open-at-login.ts';
import { watchPowerEvents } from '../app/system/power-events.ts';
import { ShortcutBinding } from '../app/system/shortcut.ts';
import { bindStartupShortcut } from '../app/system/startup-shortcut.ts';
import { aboutDialog } from '../app/tray/about-dialog.ts';
import { formatTime } from '../app/tray/format-time.ts';
import type { MuteAction, TrayAction } from '../app/tray/tray-model.ts';
import { APP_ENTRY_URL, APP_SCHEME, isAppUrl } from '../app/window/app-protocol.ts';
import { hardenSession } from '../app/window/session-hardening.ts';
import { dockFollowsWindow, showAtStart } from '../app/window/start-visibility.ts';
import { INVOKE_CHANNELS } from '../contract/ipc-contract.ts';
import { FileHistoryStore } from '../engine/history/file-history-store.ts';
import { systemClock } from '../engine/ports.ts';
import { startAutoUpdates, updateFeed } from './auto-update.ts';
import { MainWindow } from './main-window.ts';
import { TrayController } from './tray.ts';

const APP_ID = 'io.annotray.app';
const platform = process.platform;
const verbose = process.argv.includes('--verbose');
const devServer = app.isPackaged ? undefined : process.env.ANNOTRAY_DEV_SERVER_URL;
const devServerOrigin = devServer ? new URL(devServer).origin : undefined;

// A separate profile (tests, portable use): must happen before anything reads userData.
if (process.env.ANNOTRAY_USER_DATA) app.setPath('userData', process.env.ANNOTRAY_USER_DATA);
// Windows attributes toasts, taskbar grouping and the overlay badge to this id.
if (platform === 'win32') app.setAppUserModelId(APP_ID);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Set by run() as soon as the log exists, so a failed start-up leaves its cause there.
let startupLogger: RotatingFileLogger | undefined;

if (app.requestSingleInstanceLock()) {
  run().catch(failStartup);
} else {
  // Another Annotray runs for this profile; it shows its window (second-instance) and we leave.
  app.quit();
}

/** A start-up that threw: without a tray or window nobody would know, so say it and exit 1. */
function failStartup(error: unknown): void {
  const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
  startupLogger?.log('error', 'Annotray could not start', { error: cause });
  const where = startupLogger ? `\n\nThe log file has the details: ${startupLogger.file}` : '';
  try {
    dialog.showErrorBox('Annotray could not start', `${String(error)}${where}`);
  } catch {
    process.stderr.write(`Annotray could not start: ${cause}\n`);
  }
  void (startupLogger?.flush() ?? Promise.resolve()).finally(() => app.exit(1));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function run(): Promise<void> {
  let window: MainWindow | undefined;
  app.on('second-instance', () => window?.show());
  // macOS: opened again from Finder, Spotlight or the Dock while the window is hidden.
  app.on('activate', () => window?.show());
  // The window only hides; Annotray lives on in the tray until Quit.
  app.on('window-all-closed', () => {});
  await app.whenReady();

  const paths = appPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    userData: app.getPath('userData'),
    mainDir: import.meta.dirname,
  });
  const logger = new RotatingFileLogger({
    file: paths.logFile,
    level: verbose ? 'debug' : 'info',
    ...(app.isPackaged ? {} : { mirror: (line: string) => process.stdout.write(line) }),
  });
  startupLogger = logger;
  // Everything started below registers its stop here; quitting runs them newest first.
  const disposers = new Disposers();
  disposers.add('log', async () => {
    logger.log('info', 'Annotray stopped');
    await logger.flush();
  });
  const version = app.getVersion();
  logger.log('info', 'Annotray starting', {
    version,
    electron: process.versions.electron,
    platform,
    packaged: app.isPackaged,
  });
  process.on('uncaughtException', (error) =>
    logger.log('error', 'uncaught exception', { error: error.stack ?? String(error) }),
  );
  process.on('unhandledRejection', (error) =>
    logger.log('error', 'unhandled rejection', { error: String(error) }),
  );

  hardenSession(session.defaultSession, { rendererDir: paths.rendererDir, devServerOrigin, logger });

  const vault = await safeStorageVault(safeStorage, platform, logger);
  if (!vault.available)
    logger.log('warn', 'no OS keyring: tokens are stored unencrypted', {
      backend: safeStorage.getSelectedStorageBackend?.(),
    });
  const managed = loadManagedConfig({
    platform,
    env: process.env,
    appDir: dirname(process.env.APPIMAGE ?? app.getPath('exe')),
    readFile: readIfExists,
  });
  for (const error of managed.errors) logger.log('warn', `managed configuration: ${error}`);

  let corrupt: CorruptSettingsReport | undefined;
  let stored: SettingsRepository = new StoreSettingsRepository({
    open: () =>
      new ElectronStore(
        electronStoreOptions(paths.settingsDir) as ConstructorParameters<typeof ElectronStore>[0],
      ),
    dir: paths.settingsDir,
    logger,
    onCorrupt: (report) => {
      corrupt = report;
    },
  });
  try {
    stored.load();
  } catch (error) {
    logger.log('error', 'the settings file cannot be used; changes will not be kept', {
      error: String(error),
    });
    stored = new MemorySettingsRepository();
  }
  // The admin's tokens are encrypted once here; applying them at every load stays synchronous.
  const managedConfig = await sealManagedConfig(managed.config, vault);
  // Managed entries that do not validate are reported in Settings too, not only in the log.
  const ignored = applyManagedConfig(stored.load(), managedConfig).errors;
  const managedBy = describeManagedSources({ ...managed, errors: [...managed.errors, ...ignored] });

  const shortcut = new ShortcutBinding(globalShortcut, () => window?.toggle());
  disposers.add('shortcut', () => shortcut.dispose());
  const setOpenAtLogin = openAtLoginSetter({
    platform,
    app,
    execPath: process.execPath,
    env: process.env,
  });

  let core: AppCore | undefined;
  const openLink = (url: string) => {
    void core
      ?.request('task:open', { url })
      .then((result) => logger.log('info', 'a link from the window', { result }))
      .catch((error: unknown) =>
        logger.log('warn', 'a link from the window was refused', { error: String(error) }),
      );
  };
  window = new MainWindow({
    preload: paths.preload,
    icon: paths.appIcon,
    platform,
    entryUrl: devServer ?? APP_ENTRY_URL,
    logger,
    openLink,
    onVisibilityChange: dockFollowsWindow(platform, app),
  });
  const notifier = new NativeNotifier({
    create: (options) => new Notification(options),
    options: (intent) => notificationOptions(intent, { platform, iconPath: paths.appIcon }),
    activate: (intent, action) => core?.activate(intent, action),
    logger,
    supported: Notification.isSupported(),
    onProblem: (problem) => core?.reportSystemProblem('notifications', problem),
  });
  core = new AppCore({
    settings: withManagedConfig(stored, managedConfig, logger),
    vault,
    notifier,
    openExternal: (url) => shell.openExternal(url),
    push: (channel, payload) => window?.send(channel, payload),
    showWindow: () => window?.show(),
    demo: new LocalDemoFeed({ logger }),
    historyStore: new FileHistoryStore(paths.historyDir, { logger }),
    logger,
    version,
    platform,
    ...(managedBy ? { managedBy } : {}),
    system: { setOpenAtLogin, setShortcut: (accelerator) => shortcut.set(accelerator) },
  });
  const appCore = core;
  disposers.add('app core', () => appCore.stop());

  const unregisterIpc = registerInvokeHandlers({
    ipcMain,
    channels: INVOKE_CHANNELS,
    handle: (channel, request) => appCore.handle(channel, request),
    isTrustedUrl: (url) => isAppUrl(url, devServerOrigin),
    logger,
  });
  disposers.add('window requests', unregisterIpc);

  const showAbout = () => {
    void dialog.showMessageBox(
      aboutDialog({ version, versions: process.versions, logFile: logger.file, managedBy }),
    );
  };
  const actions: Record<Exclude<TrayAction, MuteAction>, () => void> = {
    open: () => window?.show(),
    'pause-hour': () => appCore.pauseNotifications('hour'),
    'pause-tomorrow': () => appCore.pauseNotifications('tomorrow'),
    'pause-indefinite': () => appCore.pauseNotifications('indefinite'),
    resume: () => appCore.pauseNotifications('resume'),
    reconnect: () => appCore.retryAllChannels('asked from the tray menu'),
    settings: () => window?.openSettings(),
    'open-log': () => {
      void logger
        .flush()
        .then(() => shell.openPath(logger.file))
        .then((error) => error && logger.log('warn', 'could not open the log file', { error }));
    },
    about: showAbout,
    quit: () => app.quit(),
  };
  const tray = new TrayController({
    iconsDir: paths.trayIconsDir,
    platform,
    input: () => ({
      channels: appCore.channels(),
      pause: appCore.pause,
      demo: appCore.demo,
      now: Date.now(),
      version,
      formatTime,
      quietUntil: appCore.quietUntil,
      mutes: appCore.mutes,
    }),
    run: (action) =>
      typeof action === 'string' ? actions[action]() : appCore.muteChannel(action.channelKey, action.mute),
    onClick: () => window?.toggle(),
    setOverlay: (overlay) => window?.setOverlay(overlay),
    logger,
  });
  disposers.add('tray', () => tray.destroy());
  appCore.onChange(() => tray.update());

  const unwatchPower = watchPowerEvents(powerMonitor, appCore, logger);
  disposers.add('power events', unwatchPower);
  powerMonitor.on('shutdown', () => app.quit());
  const online = new OnlineWatcher({
    isOnline: () => net.isOnline(),
    onOnline: () => appCore.resume('the network came back'),
    onOffline: () => logger.log('info', 'the network went away'),
    clock: systemClock,
  });
  online.start();
  disposers.add('network watch', () => online.stop());

  await appCore.start();
  tray.update();

  const preferences = appCore.settings.preferences;
  bindStartupShortcut({ shortcut, accelerator: preferences.shortcut, logger, problems: appCore });
  renewOpenAtLogin(preferences.openAtLogin, setOpenAtLogin, logger);

  let stopUpdates: (() => void) | undefined;
  const update = updateFeed(managed.config.updateUrl, app.isPackaged);
  if ('feed' in update) {
    // Updates are a convenience: a failure to start them is logged, never fatal to the app.
    stopUpdates = await startAutoUpdates(update.feed, logger).catch((error: unknown) => {
      logger.log('error', 'automatic updates could not start', { error: String(error) });
      return undefined;
    });
  } else logger.log('info', 'automatic updates are off', { reason: update.off });
  disposers.add('updates', () => stopUpdates?.());

  if (corrupt) notifier.notify(settingsResetIntent(corrupt));

  showAtStart({ argv: process.argv, platform, app, window });

  if (process.env.ANNOTRAY_E2E === '1') {
    // What the Electron smoke test reads through playwright's electronApp.evaluate().
    Object.assign(globalThis, {
      __annotray: {
        tray: () => tray.model,
        notificationsShown: () => notifier.shown,
        window: () => window?.browserWindow?.getTitle(),
      },
    });
  }

  app.on('before-quit', () => window?.allowClose());
  app.on('will-quit', (event) => {
    if (disposers.done) return;
    // Hold the quit until everything has stopped (history written, log flushed), then go on.
    event.preventDefault();
    void disposers.dispose(logger).finally(() => app.quit());
  });
}
