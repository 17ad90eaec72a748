// The packaged-to-be app in the real Electron, driven by playwright-core: it starts on the demo
// feed, shows its window with the bridge and without Node, puts the demo state in the tray and
// raises a notification. Skipped, saying why, where no Electron binary is installed (CI
// images that set ELECTRON_SKIP_BINARY_DOWNLOAD) or no display is available; the same
// composition root runs against a stand-in Electron in test/electron-main.test.ts.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** The Electron executable, found the way node_modules/electron does, without its download fallback. */
function electronExecutable(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? join(override, relative ?? 'electron')
    : relative
      ? join(dir, 'dist', relative)
      : undefined;
  return candidate && existsSync(candidate) ? candidate : undefined;
}

function skipReason(executable: string | undefined): string | undefined {
  if (!executable) {
    return 'no Electron binary: node_modules/electron/dist is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD?) and ELECTRON_OVERRIDE_DIST_PATH is not set; run `npx install-electron` or point ELECTRON_OVERRIDE_DIST_PATH at an Electron dist folder';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display: run the tests under xvfb-run';
  return undefined;
}

const executable = electronExecutable();
const reason = skipReason(executable);
if (reason) process.stderr.write(`electron-smoke.test.ts skipped: ${reason}\n`);

interface AnnotrayTestHooks {
  tray(): { icon: string; tooltip: string } | undefined;
  notificationsShown(): number;
}

describe.skipIf(reason !== undefined)('Annotray in Electron', () => {
  let app: ElectronApplication;
  let userData: string;

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build:electron'], { cwd: ROOT, stdio: 'inherit' });
    expect(build.status).toBe(0);
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
      expect(spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
    }
    userData = mkdtempSync(join(tmpdir(), 'annotray-smoke-'));
    app = await _electron.launch({
      ...(executable ? { executablePath: executable } : {}),
      // Chromium refuses to run as root with its sandbox (CI containers).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT],
      env: { ...process.env, ANNOTRAY_USER_DATA: userData, ANNOTRAY_E2E: '1' } as Record<string, string>,
      timeout: 60_000,
    });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('shows its window with the bridge and without Node', async () => {
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    expect(await window.title()).toBe('Annotray');
    expect(window.url()).toBe('app://annotray/index.html');
    const page = await window.evaluate(() => {
      const api = (globalThis as unknown as { annotray?: Record<string, unknown> }).annotray;
      return {
        bridge: api ? Object.keys(api).sort() : [],
        node:
          typeof (globalThis as { require?: unknown }).require !== 'undefined' ||
          typeof (globalThis as { process?: unknown }).process !== 'undefined',
      };
    });
    expect(page).toEqual({ bridge: ['invoke', 'on'], node: false });
    const snapshot = await window.evaluate(() =>
      (
        globalThis as unknown as { annotray: { invoke(c: string, r: unknown): Promise<{ demo: boolean }> } }
      ).annotray.invoke('app:snapshot', {}),
    );
    expect(snapshot.demo).toBe(true);
  });

  it('shows the demo state in the tray and raises a notification from the demo feed', async () => {
    const read = () =>
      app.evaluate(() => {
        const hooks = (globalThis as unknown as { __annotray: AnnotrayTestHooks }).__annotray;
        return { tray: hooks.tray(), shown: hooks.notificationsShown() };
      });
    const end = Date.now() + 20_000;
    let state = await read();
    while ((state.tray?.icon !== 'demo' || state.shown === 0) && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await read();
    }
    expect(state.tray?.icon).toBe('demo');
    expect(state.tray?.tooltip).toMatch(/^Annotray \(demo\)/);
    expect(state.shown).toBeGreaterThan(0);
  }, 30_000);
});
