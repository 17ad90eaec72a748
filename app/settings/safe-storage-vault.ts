// The TokenVault over Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet), through its
// asynchronous API: Electron 45 deprecates the synchronous one, which blocks the main process
// while the keyring answers. On Linux without a keyring Chromium falls back to `basic_text`, a
// hard-coded key that protects nothing: then the vault says it is unavailable, tokens are kept
// plain, and AppCore tells the user (SettingsDto.keyringWarning) instead of pretending they
// are encrypted.

import type { Logger } from '../../engine/ports.ts';
import type { TokenVault } from './settings-model.ts';

/** The part of Electron's safeStorage used here (call it only after `app` is ready). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  getSelectedStorageBackend?(): string;
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(
    encrypted: Buffer,
  ): Promise<{ readonly result: string; readonly shouldReEncrypt: boolean }>;
}

/** Linux backends that do not actually encrypt with a secret of the user's. */
const NO_KEYRING = new Set(['basic_text', 'unknown']);

export async function keyringAvailable(safe: SafeStorageLike, platform: string): Promise<boolean> {
  if (!(await safe.isAsyncEncryptionAvailable())) return false;
  if (platform !== 'linux') return true;
  return !NO_KEYRING.has(safe.getSelectedStorageBackend?.() ?? 'unknown');
}

/** Asks once whether the keyring can be used; the answer holds for the run. */
export async function safeStorageVault(
  safe: SafeStorageLike,
  platform: string,
  logger: Logger,
): Promise<TokenVault> {
  return {
    available: await keyringAvailable(safe, platform),
    encrypt: async (plain) => (await safe.encryptStringAsync(plain)).toString('base64'),
    decrypt: async (data) => {
      try {
        return (await safe.decryptStringAsync(Buffer.from(data, 'base64'))).result;
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
