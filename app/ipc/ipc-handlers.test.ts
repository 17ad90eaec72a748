import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../contract/ipc-contract.ts';
import { AppCore } from '../app-core.ts';
import { DEFAULT_SETTINGS } from '../settings/settings-model.ts';
import { isAppUrl } from '../window/app-protocol.ts';
import { type InvokeEventLike, type IpcMainLike, registerInvokeHandlers } from './ipc-handlers.ts';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(url: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve().then(() =>
      handler({ senderFrame: url === null ? null : { url, parent: null } }, ...args),
    );
  }
}

function setup() {
  const ipc = new FakeIpcMain();
  const logs: string[] = [];
  const core = new AppCore({
    settings: { load: () => DEFAULT_SETTINGS, save: () => {} },
    vault: { available: true, encrypt: async (s) => s, decrypt: async (s) => s },
    notifier: { notify: () => {} },
    openExternal: async () => {},
    push: () => {},
    version: '1.2.3',
    platform: 'linux',
  });
  const unregister = registerInvokeHandlers({
    ipcMain: ipc,
    channels: INVOKE_CHANNELS,
    handle: (channel, request) => core.handle(channel, request),
    isTrustedUrl: (url) => isAppUrl(url),
    logger: { log: (_l, m) => logs.push(m) },
  });
  return { ipc, core, logs, unregister };
}

const APP = 'app://annotray/index.html';

describe('registerInvokeHandlers', () => {
  it('registers exactly the contract’s invoke channels, and removes them again', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers our window through AppCore', async () => {
    const { ipc } = setup();
    await expect(ipc.invoke(APP, 'app:snapshot', {})).resolves.toMatchObject({
      version: '1.2.3',
      demo: false,
      channels: [],
    });
    await expect(ipc.invoke(APP, 'notifications:pause', { kind: 'indefinite' })).resolves.toMatchObject({
      preferences: { pause: { kind: 'indefinite' } },
    });
  });

  it('rejects invalid requests with the validation message, and logs them', async () => {
    const { ipc, logs } = setup();
    await expect(ipc.invoke(APP, 'events:list', { channelKey: 5 })).rejects.toThrow(
      /invalid events:list request/,
    );
    await expect(ipc.invoke(APP, 'task:open', { url: 'file:///etc/passwd', extra: true })).rejects.toThrow(
      /invalid task:open/,
    );
    await expect(ipc.invoke(APP, 'app:snapshot', {}, 'second argument')).rejects.toThrow(
      /exactly one request/,
    );
    expect(logs).toContain('a window request failed');
  });

  it('registers no handler outside the contract, and AppCore refuses a channel it does not know', async () => {
    const { ipc, core } = setup();
    // Electron answers a channel nobody registered with its own error: what matters is that we
    // registered none for it, and that AppCore itself refuses unknown names.
    expect(ipc.handlers.has('shell:exec')).toBe(false);
    await expect(core.handle('shell:exec', {})).rejects.toThrow(/unknown request shell:exec/);
    await expect(core.handle('__proto__', {})).rejects.toThrow(/unknown request __proto__/);
  });

  it('refuses requests from any page that is not ours, and from subframes', async () => {
    const { ipc, logs } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', null]) {
      await expect(ipc.invoke(url, 'app:snapshot', {})).rejects.toThrow(/did not come from Annotray/);
    }
    const handler = ipc.handlers.get('app:snapshot');
    await expect(
      Promise.resolve().then(() => handler?.({ senderFrame: { url: APP, parent: {} } }, {})),
    ).rejects.toThrow(/did not come from Annotray/);
    expect(logs.filter((m) => m.startsWith('refused'))).toHaveLength(4);
  });
});
