// The TokenVault over Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). On Linux
// without a keyring Chromium falls back to `basic_text`, a hard-coded key that protects
// nothing: then the vault says it is unavailable, tokens are kept plain, and AppCore tells
// the user (SettingsDto.keyringWarning) instead of pretending they are encrypted.

import type { Logger } from '../../engine/ports.ts';
import type { TokenVault } from './settings-model.ts';

/** The part of Electron's safeStorage used here (call it only after `app` is ready). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Linux backends that do not actually encrypt with a secret of the user's. */
const NO_KEYRING = new Set(['basic_text', 'unknown']);

export function keyringAvailable(safe: SafeStorageLike, platform: string): boolean {
  if (!safe.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  return !NO_KEYRING.has(safe.getSelectedStorageBackend?.() ?? 'unknown');
}

export function safeStorageVault(safe: SafeStorageLike, platform: string, logger: Logger): TokenVault {
  return {
    available: keyringAvailable(safe, platform),
    encrypt: (plain) => safe.encryptString(plain).toString('base64'),
    decrypt: (data) => {
      try {
        return safe.decryptString(Buffer.from(data, 'base64'));
      } catch (error) {
        // The keyring changed (new login keyring, profile copied to another machine): the
        // token is unreadable; the server will answer 401 and the user re-enters it.
        logger.log('warn', 'a stored token could not be decrypted; enter it again in Settings', {
          error: String(error),
        });
        return '';
      }
    },
  };
}
