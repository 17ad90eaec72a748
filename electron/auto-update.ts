// Updates through electron-updater from a URL the admin configures (managed config
// `updateUrl` or ANNOTRAY_UPDATE_URL): a plain web folder holding latest*.yml and the
// installers (electron-builder's generic provider). No URL, no update checks: Annotray never
// phones home on its own. Only the packaged app updates; development builds never do.

import type { Logger } from '../engine/ports.ts';

export interface GenericFeed {
  readonly provider: 'generic';
  readonly url: string;
}

/** The feed for a configured URL, or why there is none. */
export function updateFeed(
  url: string | undefined,
  isPackaged: boolean,
): { feed: GenericFeed } | { off: string } {
  if (!url) return { off: 'no update URL is configured' };
  if (!isPackaged) return { off: 'development build' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { off: `the update URL ${url} is not a URL` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { off: `the update URL must be http(s), not ${parsed.protocol}` };
  return { feed: { provider: 'generic', url: parsed.href } };
}

/** electron-updater's logger interface, over ours. */
export function updaterLogger(logger: Logger) {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) =>
    logger.log(level, `updater: ${String(message)}`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const CHECK_EVERY_MS = 6 * 3_600_000;

/** Starts checking (now, then every 6 hours); returns a stop function. */
export async function startAutoUpdates(feed: GenericFeed, logger: Logger): Promise<() => void> {
  // Loaded only when updates are on: electron-updater pulls in a fair amount of code.
  const { autoUpdater } = (await import('electron-updater')).default;
  autoUpdater.logger = updaterLogger(logger);
  autoUpdater.setFeedURL(feed);
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  const check = () => {
    autoUpdater
      .checkForUpdatesAndNotify()
      .catch((error: unknown) => logger.log('warn', 'update check failed', { error: String(error) }));
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
