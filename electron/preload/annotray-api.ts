// The one object the preload exposes as `window.annotray`: invoke() for the contract's invoke
// channels and on() for its push channels, returning the unsubscribe function. Built over an
// ipcRenderer-shaped port so it is tested in Node; ipcRenderer itself never reaches the page,
// nor do the IPC event objects (the listener gets the payload only).

import type { AnnotrayApi, InvokeChannel, PushChannel } from '../../contract/ipc-contract.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createAnnotrayApi(
  ipc: IpcRendererLike,
  invokeChannels: readonly InvokeChannel[],
  pushChannels: readonly PushChannel[],
): AnnotrayApi {
  const invokable = new Set<string>(invokeChannels);
  const pushable = new Set<string>(pushChannels);
  const api: AnnotrayApi = {
    invoke: (channel, request) => {
      if (!invokable.has(channel))
        return Promise.reject(new Error(`annotray.invoke: unknown channel ${String(channel)}`));
      return ipc.invoke(channel, request) as never;
    },
    on: (channel, listener) => {
      if (!pushable.has(channel)) throw new Error(`annotray.on: unknown channel ${String(channel)}`);
      if (typeof listener !== 'function') throw new TypeError('annotray.on: the listener must be a function');
      const forward = (_event: unknown, payload: unknown) => listener(payload as never);
      ipc.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, forward);
      };
    },
  };
  return Object.freeze(api);
}
