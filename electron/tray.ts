// The tray adapter: hands tray-model's result to Electron's Tray, Menu, dock badge and the
// Windows taskbar overlay, touching only what changed (Linux panels flicker when the menu is
// replaced). The model decides everything; this file only applies it.

import { join } from 'node:path';
import { app, Menu, nativeImage, Tray } from 'electron';
import { menuTemplate } from '../app/tray/tray-menu.ts';
import {
  badgeIconFile,
  type TrayAction,
  type TrayInput,
  type TrayModel,
  trayIconFile,
  trayModel,
} from '../app/tray/tray-model.ts';
import type { Logger } from '../engine/ports.ts';

export interface TrayControllerOptions {
  readonly iconsDir: string;
  readonly platform: string;
  readonly input: () => TrayInput;
  readonly run: (action: TrayAction) => void;
  /** A left click (Windows, Linux panels that report it): show or hide the window. */
  readonly onClick: () => void;
  readonly setOverlay: (overlay: { path: string; description: string } | null) => void;
  readonly logger: Logger;
}

export class TrayController {
  readonly #options: TrayControllerOptions;
  readonly #tray: Tray;
  #model: TrayModel | undefined;
  #menuKey = '';
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TrayControllerOptions) {
    this.#options = options;
    const input = options.input();
    const first = trayModel(input);
    this.#tray = new Tray(this.#image(first));
    // On macOS a click opens the menu; elsewhere it shows or hides the window.
    if (options.platform !== 'darwin') this.#tray.on('click', () => options.onClick());
    this.#apply(first, input);
  }

  /** What the tray shows now (the smoke test reads it). */
  get model(): TrayModel | undefined {
    return this.#model;
  }

  update(): void {
    const input = this.#options.input();
    this.#apply(trayModel(input), input);
  }

  destroy(): void {
    if (this.#pauseTimer) clearTimeout(this.#pauseTimer);
    this.#tray.destroy();
  }

  #image(model: TrayModel) {
    const image = nativeImage.createFromPath(
      join(this.#options.iconsDir, trayIconFile(this.#options.platform, model.icon)),
    );
    if (image.isEmpty())
      this.#options.logger.log('error', 'a tray icon is missing', {
        icon: model.icon,
        dir: this.#options.iconsDir,
      });
    if (this.#options.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  #apply(model: TrayModel, input: TrayInput): void {
    const previous = this.#model;
    this.#model = model;
    if (previous && previous.icon !== model.icon) this.#tray.setImage(this.#image(model));
    if (previous?.tooltip !== model.tooltip) this.#tray.setToolTip(model.tooltip);
    if (this.#options.platform === 'darwin' && previous?.title !== model.title)
      this.#tray.setTitle(model.title);
    if (previous?.unread !== model.unread) {
      app.setBadgeCount(model.unread);
      this.#options.setOverlay(
        model.overlay
          ? {
              path: join(this.#options.iconsDir, badgeIconFile(model.overlay.badge)),
              description: model.overlay.description,
            }
          : null,
      );
    }
    const menuKey = JSON.stringify(model.menu);
    if (menuKey !== this.#menuKey) {
      this.#menuKey = menuKey;
      this.#tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model.menu, this.#options.run)));
    }
    this.#schedulePauseEnd(input);
  }

  /** A timed pause ends without any other change: look again just after it does. */
  #schedulePauseEnd({ pause, now }: TrayInput): void {
    if (this.#pauseTimer) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    if (typeof pause !== 'number' || pause <= now) return;
    // setTimeout's limit is about 24.8 days; a pause is at most until tomorrow.
    this.#pauseTimer = setTimeout(() => this.update(), Math.min(pause - now + 1_000, 2_000_000_000));
    this.#pauseTimer.unref();
  }
}
