import { describe, expect, it } from 'vitest';
import { keyringAvailable, type SafeStorageLike, safeStorageVault } from './safe-storage-vault.ts';
import { readToken, storeToken } from './settings-model.ts';

/** Electron 45's asynchronous safeStorage, answering on a later tick like the real keyring. */
function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike & { broken: boolean } {
  const later = <T>(value: () => T) => new Promise<T>((resolve) => setImmediate(() => resolve(value())));
  const fake = {
    broken: false,
    isAsyncEncryptionAvailable: () => later(() => available),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptStringAsync: (plain: string) => later(() => Buffer.from(`enc:${[...plain].reverse().join('')}`)),
    decryptStringAsync: async (data: Buffer) => {
      await later(() => undefined);
      if (fake.broken)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: [...data.toString().slice(4)].reverse().join(''), shouldReEncrypt: false };
    },
  };
  return fake;
}

const logger = { log: () => {} };

describe('safeStorageVault', () => {
  it('uses the OS keyring on macOS and Windows when async encryption is available', async () => {
    expect(await keyringAvailable(fakeSafeStorage(true), 'darwin')).toBe(true);
    expect(await keyringAvailable(fakeSafeStorage(true), 'win32')).toBe(true);
    expect(await keyringAvailable(fakeSafeStorage(false), 'win32')).toBe(false);
    expect((await safeStorageVault(fakeSafeStorage(false), 'darwin', logger)).available).toBe(false);
  });

  it('treats Linux basic_text (no keyring: a hard-coded key) as unavailable', async () => {
    expect(await keyringAvailable(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(await keyringAvailable(fakeSafeStorage(true, 'kwallet5'), 'linux')).toBe(true);
    expect(await keyringAvailable(fakeSafeStorage(true, 'basic_text'), 'linux')).toBe(false);
    expect(await keyringAvailable(fakeSafeStorage(true, 'unknown'), 'linux')).toBe(false);
    expect(await keyringAvailable(fakeSafeStorage(true), 'linux')).toBe(false);
  });

  it('round-trips a token through the async API as base64 and never stores it readable', async () => {
    const vault = await safeStorageVault(fakeSafeStorage(true, 'gnome_libsecret'), 'linux', logger);
    const stored = await storeToken(vault, 'secret-token-1234');
    expect(stored).toEqual({
      kind: 'encrypted',
      data: Buffer.from('enc:4321-nekot-terces').toString('base64'),
    });
    expect(JSON.stringify(stored)).not.toContain('secret-token-1234');
    expect(await readToken(vault, stored)).toBe('secret-token-1234');
  });

  it('keeps tokens plain (and says so) without a keyring', async () => {
    const vault = await safeStorageVault(fakeSafeStorage(true, 'basic_text'), 'linux', logger);
    expect(vault.available).toBe(false);
    expect(await storeToken(vault, 'abc')).toEqual({ kind: 'plain', value: 'abc' });
  });

  it('answers an empty token, and logs, when the keyring cannot decrypt any more', async () => {
    const safe = fakeSafeStorage(true);
    const logs: string[] = [];
    const vault = await safeStorageVault(safe, 'darwin', { log: (_l, m) => logs.push(m) });
    const stored = await storeToken(vault, 'abc');
    safe.broken = true;
    expect(await readToken(vault, stored)).toBe('');
    expect(logs[0]).toMatch(/could not be decrypted/);
  });
});
