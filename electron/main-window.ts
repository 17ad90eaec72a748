// Annotray's one window: created when first shown, hidden (not closed) when the person closes
// it, so the app keeps living in the tray. Every way out of the page is shut: navigation,
// redirects, new windows and <webview>; a link the page tries to open goes to AppCore's
// guarded `task:open` instead (http(s) on a configured server only).

import { BrowserWindow, nativeImage } from 'electron';
import { mainWindowFrame } from '../app/window/window-options.ts';
import { toggleDecision } from '../app/window/window-toggle.ts';
import type { PushChannel, PushPayloads } from '../contract/ipc-contract.ts';
import type { Logger } from '../engine/ports.ts';

export interface MainWindowOptions {
  readonly preload: string;
  readonly icon?: string;
  readonly platform: string;
  /** app://annotray/index.html, or the Vite dev server in development. */
  readonly entryUrl: string;
  readonly logger: Logger;
  /** A link the page wanted to open: handed to AppCore's URL guard. */
  readonly openLink: (url: string) => void;
  readonly onVisibilityChange?: (visible: boolean) => void;
}

export class MainWindow {
  readonly #options: MainWindowOptions;
  #window: BrowserWindow | undefined;
  #quitting = false;
  #overlay: { path: string; description: string } | null = null;
  #loaded = false;
  #pendingNavigate: PushPayloads['push:navigate'] | undefined;
  #blurredAt: number | undefined;

  constructor(options: MainWindowOptions) {
    this.#options = options;
  }

  /** The BrowserWindow, once created (the smoke test reads its title). */
  get browserWindow(): BrowserWindow | undefined {
    return this.#window;
  }

  show(): void {
    this.#showAt(this.#options.entryUrl);
  }

  /** Shows the window; a window created now loads `url` (and only that). */
  #showAt(url: string): void {
    const win = this.#window ?? this.#create(url);
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  hide(): void {
    this.#window?.hide();
  }

  toggle(): void {
    const win = this.#window;
    const state = win
      ? {
          exists: true,
          visible: win.isVisible(),
          minimized: win.isMinimized(),
          focused: win.isFocused(),
          ...(this.#blurredAt === undefined ? {} : { blurredAt: this.#blurredAt }),
        }
      : { exists: false, visible: false, minimized: false, focused: false };
    if (toggleDecision(state, Date.now()) === 'hide') this.hide();
    else this.show();
  }

  /** Shows the window on its settings view (the renderer routes on `#/settings`). */
  openSettings(): void {
    const url = `${this.#options.entryUrl.split('#')[0]}#/settings`;
    if (!this.#window) {
      // A window created now loads the settings view directly: loading the entry page and
      // then settings would abort the first load (and log it as a failure).
      this.#showAt(url);
      return;
    }
    this.show();
    void this.#window.webContents.loadURL(url).catch((error: unknown) => {
      this.#options.logger.log('warn', 'could not open the settings view', { error: String(error) });
    });
  }

  send<C extends PushChannel>(channel: C, payload: PushPayloads[C]): void {
    const contents = this.#window?.webContents;
    if (!contents || contents.isDestroyed()) return;
    contents.send(channel, payload);
    // A notification click can create the window: its page subscribes while loading, so the
    // navigation is sent again once the page has loaded (navigating twice is harmless).
    if (channel === 'push:navigate' && !this.#loaded)
      this.#pendingNavigate = payload as PushPayloads['push:navigate'];
  }

  /** Windows taskbar badge; kept and applied when the window is created later. */
  setOverlay(overlay: { path: string; description: string } | null): void {
    this.#overlay = overlay;
    this.#applyOverlay();
  }

  /** From now on closing the window closes it (the app is quitting). */
  allowClose(): void {
    this.#quitting = true;
  }

  #applyOverlay(): void {
    const win = this.#window;
    if (!win || this.#options.platform !== 'win32') return;
    if (this.#overlay)
      win.setOverlayIcon(nativeImage.createFromPath(this.#overlay.path), this.#overlay.description);
    else win.setOverlayIcon(null, '');
  }

  #create(url: string): BrowserWindow {
    const win = new BrowserWindow({
      ...mainWindowFrame({
        platform: this.#options.platform,
        ...(this.#options.icon ? { icon: this.#options.icon } : {}),
      }),
      webPreferences: {
        preload: this.#options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        // A middle click opens links in a new window through a different path than a click.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    this.#window = win;
    const contents = win.webContents;
    const logger = this.#options.logger;

    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      logger.log('warn', 'the window tried to navigate away; opening in the browser if allowed', {
        url: url.slice(0, 300),
      });
      this.#options.openLink(url);
    });
    contents.on('will-redirect', (event, url) => {
      event.preventDefault();
      logger.log('warn', 'blocked a redirect of the window', { url: url.slice(0, 300) });
    });
    contents.setWindowOpenHandler(({ url }) => {
      this.#options.openLink(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('did-navigate', () => {
      this.#loaded = false;
    });
    contents.on('did-finish-load', () => {
      this.#loaded = true;
      const pending = this.#pendingNavigate;
      this.#pendingNavigate = undefined;
      if (pending) contents.send('push:navigate', pending);
    });
    contents.on('render-process-gone', (_event, details) => {
      this.#loaded = false;
      logger.log('error', 'the window’s renderer process ended', {
        reason: details.reason,
        exitCode: details.exitCode,
      });
      if (details.reason !== 'clean-exit' && !win.isDestroyed()) contents.reload();
    });
    contents.on('did-fail-load', (_event, code, description, url) => {
      logger.log('error', 'the window could not load', { code, description, url: url.slice(0, 300) });
    });

    win.on('close', (event) => {
      if (this.#quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.on('blur', () => {
      this.#blurredAt = Date.now();
    });
    win.on('show', () => this.#options.onVisibilityChange?.(true));
    win.on('hide', () => this.#options.onVisibilityChange?.(false));
    win.on('closed', () => {
      this.#window = undefined;
    });
    win.once('ready-to-show', () => this.#applyOverlay());

    void win
      .loadURL(url)
      .catch((error: unknown) => logger.log('error', 'the window could not load', { error: String(error) }));
    return win;
  }
}
