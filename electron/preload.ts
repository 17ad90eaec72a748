// The preload of Annotray's window (sandboxed: it may require nothing but 'electron'). It is
// bundled to dist/electron/preload.cjs by vite.preload.config.ts, which also inlines the
// contract's channel lists, so neither zod nor any local module is loaded in the page.

import { contextBridge, ipcRenderer } from 'electron';
import type { InvokeChannel, PushChannel } from '../contract/ipc-contract.ts';
import { createAnnotrayApi } from './preload/annotray-api.ts';

declare const __ANNOTRAY_INVOKE_CHANNELS__: readonly InvokeChannel[];
declare const __ANNOTRAY_PUSH_CHANNELS__: readonly PushChannel[];

contextBridge.exposeInMainWorld(
  'annotray',
  createAnnotrayApi(ipcRenderer, __ANNOTRAY_INVOKE_CHANNELS__, __ANNOTRAY_PUSH_CHANNELS__),
);
