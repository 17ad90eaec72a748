import { describe, expect, it } from 'vitest';
import { keyringAvailable, type SafeStorageLike, safeStorageVault } from './safe-storage-vault.ts';
import { readToken, storeToken } from './settings-model.ts';

function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike & { broken: boolean } {
  return {
    broken: false,
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString(plain) {
      return Buffer.from(`enc:${[...plain].reverse().join('')}`);
    },
    decryptString(this: { broken: boolean }, data) {
      if (this.broken)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return [...data.toString().slice(4)].reverse().join('');
    },
  };
}

const logger = { log: () => {} };

describe('safeStorageVault', () => {
  it('uses the OS keyring on macOS and Windows when encryption is available', () => {
    expect(keyringAvailable(fakeSafeStorage(true), 'darwin')).toBe(true);
    expect(keyringAvailable(fakeSafeStorage(true), 'win32')).toBe(true);
    expect(keyringAvailable(fakeSafeStorage(false), 'win32')).toBe(false);
  });

  it('treats Linux basic_text (no keyring: a hard-coded key) as unavailable', () => {
    expect(keyringAvailable(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(keyringAvailable(fakeSafeStorage(true, 'kwallet5'), 'linux')).toBe(true);
    expect(keyringAvailable(fakeSafeStorage(true, 'basic_text'), 'linux')).toBe(false);
    expect(keyringAvailable(fakeSafeStorage(true, 'unknown'), 'linux')).toBe(false);
    expect(keyringAvailable(fakeSafeStorage(true), 'linux')).toBe(false);
  });

  it('round-trips a token as base64 and never stores it readable', () => {
    const vault = safeStorageVault(fakeSafeStorage(true, 'gnome_libsecret'), 'linux', logger);
    const stored = storeToken(vault, 'secret-token-1234');
    expect(stored.kind).toBe('encrypted');
    expect(JSON.stringify(stored)).not.toContain('secret-token-1234');
    expect(readToken(vault, stored)).toBe('secret-token-1234');
  });

  it('keeps tokens plain (and says so) without a keyring', () => {
    const vault = safeStorageVault(fakeSafeStorage(true, 'basic_text'), 'linux', logger);
    expect(vault.available).toBe(false);
    expect(storeToken(vault, 'abc')).toEqual({ kind: 'plain', value: 'abc' });
  });

  it('answers an empty token, and logs, when the keyring cannot decrypt any more', () => {
    const safe = fakeSafeStorage(true);
    const logs: string[] = [];
    const vault = safeStorageVault(safe, 'darwin', { log: (_l, m) => logs.push(m) });
    const stored = storeToken(vault, 'abc');
    safe.broken = true;
    expect(readToken(vault, stored)).toBe('');
    expect(logs[0]).toMatch(/could not be decrypted/);
  });
});
