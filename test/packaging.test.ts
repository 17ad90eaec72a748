// The installer configuration, checked without building installers (the Electron binary
// cannot be downloaded here): electron-builder.yml against electron-builder's own schema and
// validator, the files it names, and the afterPack hook flipping the fuses of a binary.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { afterPack, electronBinary, fuseConfig, type PackContext } from '../scripts/after-pack.ts';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  /** As electron-builder normalises them: `{ filter: [...] }` entries. */
  files: { filter: string[] }[];
  extraResources: { from: string; to?: string; filter: string[] }[];
  afterPack: string;
  linux: Record<string, unknown>;
  mac: Record<string, unknown>;
  win: Record<string, unknown>;
};

async function loadConfig(): Promise<Config> {
  const { getConfig } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string | null, options: null): Promise<Config>;
  };
  return getConfig(ROOT, null, null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is valid against app-builder-lib/scheme.json', async () => {
    const Ajv = require('ajv') as new (
      options: object,
    ) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const config = await loadConfig();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator would notice a mistake: a misspelt option is refused.
    expect(validate({ ...config, linux: { ...config.linux, categori: 'Office' } })).toBe(false);
  });

  it('ships the compiled app, the renderer and the tray icons, and the installer icons exist', async () => {
    const config = await loadConfig();
    expect(config).toMatchObject({ appId: 'io.annotray.app', productName: 'Annotray', asar: true });
    expect(config.files.flatMap((f) => f.filter)).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/electron/**/*',
        'dist/engine/**/*',
        'dist/contract/**/*',
        'dist/renderer/**/*',
        '!**/*.map',
      ]),
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(pkg.name).toBe('annotray');
    // The deb target refuses to build without them ("Please specify project homepage").
    expect(pkg).toMatchObject({
      homepage: expect.stringMatching(/^https:/),
      author: expect.any(String),
      repository: { url: expect.any(String) },
    });
    expect(config.extraResources).toEqual([
      expect.objectContaining({ from: 'resources', filter: ['tray/**/*', 'icons/**/*'] }),
    ]);
    for (const file of [
      config.mac.icon,
      config.win.icon,
      'build/entitlements.mac.plist',
      'build/icons/512x512.png',
      'resources/tray/linux/connected.png',
    ]) {
      expect(existsSync(join(ROOT, String(file)))).toBe(true);
    }
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'Office;Utility' });
    // linux.category is what the desktop entry gets; a second Categories would be ignored.
    const desktop = (config.linux.desktop as { entry: Record<string, string> }).entry;
    expect(desktop.Categories).toBeUndefined();
    // Electron's WM class is package.json's name: the dock groups the window by it.
    expect(desktop.StartupWMClass).toBe('annotray');
    expect((config.deb as { recommends: string[] }).recommends).toContain(
      'gnome-shell-extension-appindicator',
    );
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'], hardenedRuntime: true });
    expect(existsSync(join(ROOT, config.afterPack))).toBe(true);
  });
});

describe('the afterPack hook', () => {
  const context = (electronPlatformName: string, arch = 1): PackContext => ({
    appOutDir: '/out/linux-unpacked',
    electronPlatformName,
    arch,
    packager: { appInfo: { productFilename: 'Annotray' }, executableName: 'annotray' },
  });

  it('finds the packed Electron binary on each platform', () => {
    expect(electronBinary(context('linux'))).toBe(join('/out/linux-unpacked', 'annotray'));
    expect(electronBinary(context('win32'))).toBe(join('/out/linux-unpacked', 'Annotray.exe'));
    expect(electronBinary(context('darwin'))).toBe(join('/out/linux-unpacked', 'Annotray.app'));
  });

  it('decides every fuse, and re-signs ad hoc only for Apple silicon', () => {
    const config = fuseConfig('linux', 1);
    const options = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    for (const option of options) expect(typeof (config as Record<number, unknown>)[option]).toBe('boolean');
    expect(config).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      resetAdHocDarwinSignature: false,
    });
    expect(fuseConfig('darwin', 3).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('darwin', 1).resetAdHocDarwinSignature).toBe(false);
  });

  it('flips the fuses of a binary (a stand-in with Electron’s fuse wire)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annotray-fuses-'));
    try {
      // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
      // asar integrity off, asar only off, V8 snapshot off, file privileges on, Wasm traps on.
      const defaults = [1, 0, 1, 1, 0, 0, 0, 1, 1].map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE));
      const binary = Buffer.concat([
        Buffer.alloc(4096, 7),
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, defaults.length, ...defaults]),
        Buffer.alloc(4096, 7),
      ]);
      writeFileSync(join(dir, 'annotray'), binary);
      await afterPack({ ...context('linux'), appOutDir: dir });
      const wire = await getCurrentFuseWire(join(dir, 'annotray'));
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
      // A newer Electron with a fuse this config does not know stops the build.
      writeFileSync(
        join(dir, 'annotray'),
        Buffer.concat([
          Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
          Buffer.from([1, 10, ...defaults, FuseState.ENABLE]),
        ]),
      );
      await expect(afterPack({ ...context('linux'), appOutDir: dir })).rejects.toThrow(
        /strictlyRequireAllFuses/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
