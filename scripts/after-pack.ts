// electron-builder's afterPack hook: flips the Electron fuses of the packaged binary before
// it is signed, so a shipped Annotray cannot be turned into a plain Node runtime
// (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect) nor run code from outside its asar.

import { join } from 'node:path';
import { type FuseConfig, FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/** The part of electron-builder's AfterPackContext used here. */
export interface PackContext {
  readonly appOutDir: string;
  readonly electronPlatformName: string;
  /** builder-util's Arch: ia32 0, x64 1, armv7l 2, arm64 3, universal 4. */
  readonly arch: number;
  readonly packager: {
    readonly appInfo: { readonly productFilename: string };
    readonly executableName?: string;
  };
}

const ARM64 = 3;
const UNIVERSAL = 4;

export function fuseConfig(platform: string, arch: number): FuseConfig {
  return {
    version: FuseVersion.V1,
    // A new fuse in a future Electron fails the build until someone decides its value here.
    strictlyRequireAllFuses: true,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The window loads from app://, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
    // Flipping fuses breaks the ad-hoc signature Apple silicon requires even unsigned.
    resetAdHocDarwinSignature: platform === 'darwin' && (arch === ARM64 || arch === UNIVERSAL),
  };
}

/** The Electron binary (or .app bundle) electron-builder just packed. */
export function electronBinary(context: PackContext): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName ?? name);
  }
}

export async function afterPack(context: PackContext): Promise<void> {
  await flipFuses(electronBinary(context), fuseConfig(context.electronPlatformName, context.arch));
}

export default afterPack;
