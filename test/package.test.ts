// The shipped Linux package, proven without Electron's binary (which cannot be downloaded here):
// electron-builder packs the real build (`--linux dir`, the repository's electron-builder.yml)
// around a stand-in Electron — a file carrying Electron's fuse sentinel and fuse wire with
// Electron's defaults — and the test then checks what a user would get: the fuses flipped by
// the afterPack hook, and the packaged main process, run from its extracted app.asar against the
// stand-in Electron with `app.isPackaged` true and `process.resourcesPath` set, resolving every
// import, the preload, the renderer, the tray icons and the notification icon inside the package
// and delivering the demo feed to the stand-in's notifications. Module resolution outside the
// package is refused (test/support/fake-electron/packaged.mjs): this catches "works in dev,
// missing from the package".
//
// The build happens in a fresh staging folder, never in the repository's dist/ (stale files
// there could hide a missing one): the project files electron-builder reads, the app compiled
// with the repository's tsconfig and vite configs, and a node_modules holding the production
// dependencies package-lock.json lists (copied, so the staging tree is an ordinary install even
// where the repository's node_modules is a symlink) plus the afterPack hook's @electron/fuses.

import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { extractAll, listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../app/window/app-protocol.ts';
import { fuseConfig } from '../scripts/after-pack.ts';
import { APP, MainProcess, type Message } from './support/main-process.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const HOOKS = join(ROOT, 'test', 'support', 'fake-electron', 'packaged.mjs');
const run = promisify(execFile);

/** Electron's own fuse defaults (RunAsNode on, cookie encryption off, NODE_OPTIONS on, …). */
const ELECTRON_DEFAULT_FUSES = [1, 0, 1, 1, 0, 0, 0, 1, 1];
/** builder-util's Arch numbers, as the afterPack hook receives them. */
const ARCH: Record<string, number> = { ia32: 0, x64: 1, arm: 2, arm64: 3 };

interface Lock {
  packages: Record<string, { dev?: boolean; optional?: boolean }>;
}

let staging: string;
/** The unpacked package: the executable and resources/ (app.asar, tray/, icons/). */
let unpacked: string;
/** app.asar extracted: what the packaged main process runs from. */
let extracted: string;
let asarFiles: string[];

async function step(what: string, command: string, args: string[], cwd: string): Promise<void> {
  try {
    await run(command, args, {
      cwd,
      maxBuffer: 32 * 1024 * 1024,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANNOTRAY_'))),
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${what} failed: ${String(error)}\n${stdout?.slice(-4000) ?? ''}\n${stderr?.slice(-4000) ?? ''}`,
    );
  }
}

/** The production packages package-lock.json lists (`node_modules/…` paths), as installed here. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
    .filter(([path, entry]) => {
      if (existsSync(join(ROOT, path))) return true;
      // An optional dependency for another platform is not installed here, and need not be.
      if (entry.optional) return false;
      throw new Error(`${path} is not installed: run npm install`);
    })
    .map(([path]) => path);
}

/** The staging project: the files electron-builder reads and an ordinary production install. */
function stageProject(project: string): void {
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml', 'scripts/after-pack.ts'])
    cpSync(join(ROOT, file), join(project, file));
  for (const dir of ['resources', 'build']) cpSync(join(ROOT, dir), join(project, dir), { recursive: true });
  for (const path of [...productionPackages(), 'node_modules/@electron/fuses']) {
    const from = join(ROOT, path);
    // Nested node_modules are lock entries of their own, copied when the lock lists them.
    cpSync(from, join(project, path), {
      recursive: true,
      dereference: true,
      filter: (source) => source === from || !relative(from, source).split(sep).includes('node_modules'),
    });
  }
}

/** A stand-in for Electron's dist folder: `electron` with the fuse wire at Electron's defaults. */
function standInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = ELECTRON_DEFAULT_FUSES.map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE));
  writeFileSync(
    join(dir, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "a stand-in for Electron" >&2\nexit 1\n'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, wire.length, ...wire]),
    ]),
    { mode: 0o755 },
  );
}

beforeAll(async () => {
  staging = mkdtempSync(join(tmpdir(), 'annotray-package-'));
  const project = join(staging, 'project');
  stageProject(project);
  standInElectron(join(staging, 'electron-dist'));
  // What `npm run dist` builds first (build:electron, then the renderer), into the staging dist/.
  await step(
    'tsc',
    join(BIN, 'tsc'),
    ['-p', join(ROOT, 'tsconfig.electron.build.json'), '--outDir', join(project, 'dist')],
    ROOT,
  );
  await build({
    configFile: join(ROOT, 'vite.preload.config.ts'),
    root: ROOT,
    logLevel: 'error',
    build: { outDir: join(project, 'dist', 'electron'), emptyOutDir: false, reportCompressedSize: false },
  });
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: join(project, 'dist', 'renderer'), emptyOutDir: true, reportCompressedSize: false },
  });
  const electronVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  await step(
    'electron-builder',
    join(BIN, 'electron-builder'),
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${join(staging, 'electron-dist')}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${join(staging, 'out')}`,
    ],
    project,
  );
  const dir = readdirSync(join(staging, 'out')).find((d) => /^linux-.*unpacked$/.test(d));
  if (!dir)
    throw new Error(`electron-builder wrote no linux-unpacked folder: ${readdirSync(join(staging, 'out'))}`);
  unpacked = join(staging, 'out', dir);
  asarFiles = listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((f) =>
    f.split(sep).join('/'),
  );
  extracted = join(staging, 'app');
  extractAll(join(unpacked, 'resources', 'app.asar'), extracted);
}, 240_000);

afterAll(() => {
  if (staging) rmSync(staging, { recursive: true, force: true });
});

describe('the Linux package built by electron-builder', () => {
  it('has the Electron fuses flipped exactly as scripts/after-pack.ts configures them', async () => {
    const wire = (await getCurrentFuseWire(join(unpacked, 'annotray'))) as Record<number, FuseState>;
    const config = fuseConfig('linux', ARCH[process.arch] ?? 1) as unknown as Record<number, boolean>;
    const options = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(options).toHaveLength(ELECTRON_DEFAULT_FUSES.length);
    for (const option of options)
      expect([FuseV1Options[option], wire[option]]).toEqual([
        FuseV1Options[option],
        config[option] ? FuseState.ENABLE : FuseState.DISABLE,
      ]);
    // The stand-in started from Electron's defaults: these were really flipped.
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  });

  it('packs the compiled app and every production dependency, and no sources, maps or tests', () => {
    expect(asarFiles).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/electron/main.js',
        '/dist/electron/preload.cjs',
        '/dist/app/app-core.js',
        '/dist/renderer/index.html',
      ]),
    );
    expect(
      asarFiles.filter((f) => !f.startsWith('/node_modules/') && /\.(ts|map)$|\.test\.js$/.test(f)),
    ).toEqual([]);
    const packed = new Set(asarFiles.map((f) => f.match(/^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]));
    const production = productionPackages().map((path) => path.replace(/^.*node_modules\//, ''));
    expect(production.length).toBeGreaterThan(10);
    expect(production.filter((name) => !packed.has(name))).toEqual([]);
    expect(existsSync(join(unpacked, 'resources', 'icons', 'annotray.png'))).toBe(true);
  });
});

/** The packaged main.js, run from the extracted app.asar against the stand-in Electron. */
function startPackaged(name: string, platform?: string): MainProcess {
  return new MainProcess(
    {
      FAKE_ELECTRON_PACKAGED: '1',
      FAKE_ELECTRON_PACKAGE_DIR: extracted,
      FAKE_ELECTRON_APP_PATH: extracted,
      FAKE_ELECTRON_RESOURCES_PATH: join(unpacked, 'resources'),
      FAKE_ELECTRON_EXE: join(unpacked, 'annotray'),
      ...(platform ? { FAKE_ELECTRON_PLATFORM: platform } : {}),
      ANNOTRAY_USER_DATA: join(staging, `user-data-${name}`),
      // Updates on, so electron-updater (imported only then) must resolve from the package too;
      // nothing listens there, and a dir build is no AppImage, so it never downloads anything.
      ANNOTRAY_UPDATE_URL: 'http://127.0.0.1:9/',
    },
    [],
    { entry: join(extracted, 'dist', 'electron', 'main.js'), hooks: HOOKS, cwd: staging },
  );
}

describe('the packaged main process, run from inside the package', () => {
  let main: MainProcess;
  let notification: Message;

  beforeAll(async () => {
    main = startPackaged('linux');
    notification = await main.waitWhileRunning(
      (m) => m.kind === 'notification',
      'a notification from the demo feed',
      20_000,
    );
  }, 30_000);

  afterAll(async () => {
    await main?.stop();
  });

  it('resolves every module it loads inside the package, electron-updater included', async () => {
    expect(main.all('refused')).toEqual([]);
    expect(main.all('error-box')).toEqual([]);
    await main.send({ type: 'menu', labels: ['Open log file'] });
    const opened = await main.waitFor((m) => m.kind === 'open-path', 'the log file to be flushed');
    const log = readFileSync(String(opened.path), 'utf8');
    expect(log).toMatch(/Annotray starting .*"packaged":true/);
    // electron-updater was imported and ran: it found no AppImage to update.
    expect(log).toContain('updater: APPIMAGE env is not defined');
    expect(log).not.toMatch(/ ERROR /);
  });

  it('delivers the demo feed to a native notification with the packaged app icon', () => {
    const options = notification.options as { title: string; icon: string };
    expect(options.title).toMatch(/^Task \d+ assigned: /);
    expect(options.icon).toBe(join(unpacked, 'resources', 'icons', 'annotray.png'));
  });

  it('shows the Linux tray icons from the package’s resources', async () => {
    const demo = await main.waitFor(
      (m) => m.kind === 'tray-image' && String(m.path).endsWith('demo.png'),
      'the demo tray icon',
    );
    expect(demo.path).toBe(join(unpacked, 'resources', 'tray', 'linux', 'demo.png'));
    const images = main.all('tray-image');
    expect(images.length).toBeGreaterThan(1);
    for (const image of images) {
      expect(String(image.path).startsWith(join(unpacked, 'resources', 'tray', 'linux') + sep)).toBe(true);
      expect(image.exists).toBe(true);
    }
  });

  it('gives the window the packaged preload, which loads with nothing but electron', () => {
    const window = main.all('window')[0]?.options as { webPreferences: { preload: string } };
    const preload = window.webPreferences.preload;
    expect(preload).toBe(join(extracted, 'dist', 'electron', 'preload.cjs'));
    const exposed: Record<string, unknown> = {};
    const module = { exports: {} };
    runInNewContext(readFileSync(preload, 'utf8'), {
      module,
      exports: module.exports,
      require: (id: string) => {
        if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
        return {
          contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
          ipcRenderer: { invoke: async () => undefined, on: () => {}, removeListener: () => {} },
        };
      },
    });
    expect(Object.keys(exposed)).toEqual(['annotray']);
  });

  it('serves every renderer file over app:// with the production CSP, and the page finds its assets', async () => {
    const index = await main.send({ type: 'fetch', url: APP });
    expect(index.status).toBe(200);
    const headers = index.headers as Record<string, string>;
    expect(headers['content-security-policy']).toBe(contentSecurityPolicy());
    const referenced = [...String(index.body).matchAll(/(?:src|href)="([^"]+)"/g)].map(
      (m) => new URL(m[1] ?? '', APP).href,
    );
    expect(referenced.some((url) => url.endsWith('.js'))).toBe(true);
    const rendererDir = join(extracted, 'dist', 'renderer');
    const files = readdirSync(rendererDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => new URL(relative(rendererDir, join(e.parentPath, e.name)).split(sep).join('/'), APP).href);
    for (const url of new Set([...referenced, ...files])) {
      const asset = await main.send({ type: 'fetch', url });
      expect([url, asset.status]).toEqual([url, 200]);
      expect((asset.headers as Record<string, string>)['content-security-policy']).toBe(
        contentSecurityPolicy(),
      );
    }
    expect(files.length).toBeGreaterThan(2);
  });

  it('refuses, in this harness, a module that resolves outside the package', async () => {
    // The confinement itself: without it every other test here could pass on files from the repo.
    const probe = join(extracted, 'confinement-probe.mjs');
    writeFileSync(
      probe,
      [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        'const results = [];',
        `for (const load of [() => import(${JSON.stringify(join(ROOT, 'engine', 'ports.ts'))}), () => require(${JSON.stringify(join(ROOT, 'node_modules', 'ms', 'index.js'))}), () => require('eventsource-parser'), () => import('electron')])`,
        '  try { await load(); results.push("loaded"); } catch (error) { results.push(String(error.message)); }',
        'console.log(JSON.stringify(results));',
        'process.exit(0);',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['--no-warnings', '--import', HOOKS, probe], {
      env: { ...process.env, FAKE_ELECTRON_PACKAGE_DIR: extracted },
    });
    rmSync(probe);
    expect(JSON.parse(stdout)).toEqual([
      expect.stringMatching(/^refused by the package test: .*ports\.ts .*resolves outside the package/),
      expect.stringMatching(
        /^refused by the package test: .*ms[/\\]index\.js .*resolves outside the package/,
      ),
      'loaded',
      'loaded',
    ]);
  });
});

describe('the packaged main process on macOS and Windows (process.platform emulated)', () => {
  it.each([
    ['darwin', join('mac', 'demoTemplate.png')],
    ['win32', join('win', 'demo.ico')],
  ])(
    'finds the %s tray icon %s in the package’s resources',
    async (platform, icon) => {
      const main = startPackaged(platform, platform);
      try {
        const image = await main.waitWhileRunning(
          (m) => m.kind === 'tray-image' && String(m.path).endsWith(icon),
          `the ${platform} demo tray icon`,
          20_000,
        );
        expect(image).toMatchObject({ path: join(unpacked, 'resources', 'tray', icon), exists: true });
        expect(main.all('tray-image').every((m) => m.exists === true)).toBe(true);
        if (platform === 'win32') {
          // The unread badge on the taskbar button comes from the package as well.
          const overlay = await main.waitWhileRunning(
            (m) => m.kind === 'overlay' && m.path !== null,
            'the unread badge',
          );
          expect(String(overlay.path)).toMatch(/[/\\]resources[/\\]tray[/\\]win[/\\]badge-\w+\.png$/);
          expect(overlay.exists).toBe(true);
        }
        expect(main.all('refused')).toEqual([]);
      } finally {
        await main.stop();
      }
    },
    30_000,
  );

  it('ships every tray state of all three platforms and every Windows badge', async () => {
    // The packaged app's own mapping from state to file (run in plain Node, as it ships),
    // checked against the packaged resources.
    const script = `
      const model = await import(${JSON.stringify(pathToFileURL(join(extracted, 'dist', 'app', 'tray', 'tray-model.js')).href)});
      const files = ['darwin', 'win32', 'linux'].flatMap((p) => model.TRAY_ICON_NAMES.map((i) => model.trayIconFile(p, i)));
      console.log(JSON.stringify([...files, ...model.BADGE_NAMES.map((b) => model.badgeIconFile(b))]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const files = JSON.parse(stdout) as string[];
    expect(files.length).toBeGreaterThanOrEqual(3 * 6 + 10);
    expect(files.filter((file) => !existsSync(join(unpacked, 'resources', 'tray', file)))).toEqual([]);
  });
});
