import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ChannelDto } from '../../contract/dto.ts';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../../contract/ipc-contract.ts';
import { createAnnotrayApi, type IpcRendererLike } from './annotray-api.ts';

class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return { channel };
  }
}

describe('createAnnotrayApi', () => {
  it('invokes only the contract’s channels, passing one request', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createAnnotrayApi(ipc, INVOKE_CHANNELS, PUSH_CHANNELS);
    await expect(api.invoke('events:list', { channelKey: null })).resolves.toEqual({
      channel: 'events:list',
    });
    expect(ipc.invoked).toEqual([['events:list', { channelKey: null }]]);
    await expect(api.invoke('shell:openExternal' as never, {} as never)).rejects.toThrow(/unknown channel/);
    await expect(api.invoke('push:events' as never, {} as never)).rejects.toThrow(/unknown channel/);
    expect(ipc.invoked).toHaveLength(1);
  });

  it('delivers push payloads without the IPC event, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const api = createAnnotrayApi(ipc, INVOKE_CHANNELS, PUSH_CHANNELS);
    const received: unknown[][] = [];
    const off = api.on('push:channels', (...args) => received.push(args));
    const channels: ChannelDto[] = [];
    ipc.emit('push:channels', { sender: 'ipc event with sender' }, channels);
    expect(received).toEqual([[channels]]);
    off();
    off();
    ipc.emit('push:channels', {}, channels);
    expect(received).toHaveLength(1);
    expect(ipc.listenerCount('push:channels')).toBe(0);
  });

  it('refuses unknown push channels and non-function listeners, and cannot be changed', () => {
    const api = createAnnotrayApi(new FakeIpcRenderer(), INVOKE_CHANNELS, PUSH_CHANNELS);
    expect(() => api.on('app:snapshot' as never, () => {})).toThrow(/unknown channel/);
    expect(() => api.on('push:events', 'alert(1)' as never)).toThrow(/must be a function/);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });
});
