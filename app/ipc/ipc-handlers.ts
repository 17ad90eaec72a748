// One ipcMain.handle per invoke channel of the contract, each calling AppCore.handle (which
// validates the request with the contract's zod schema). A request is answered only when it
// comes from our own page in the main frame: a frame that navigated elsewhere, or an iframe,
// gets nothing.

import type { Logger } from '../../engine/ports.ts';

/** The part of an invoke event used here. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent?: unknown } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface InvokeHandlersOptions {
  readonly ipcMain: IpcMainLike;
  readonly channels: readonly string[];
  readonly handle: (channel: string, request: unknown) => Promise<unknown>;
  readonly isTrustedUrl: (url: string | undefined) => boolean;
  readonly logger: Logger;
}

export class UntrustedSenderError extends Error {
  override readonly name = 'UntrustedSenderError';
}

export function registerInvokeHandlers(options: InvokeHandlersOptions): () => void {
  const { ipcMain, logger } = options;
  for (const channel of options.channels) {
    ipcMain.handle(channel, async (event, ...args) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent || !options.isTrustedUrl(frame.url)) {
        logger.log('warn', 'refused a request from a page that is not Annotray', {
          channel,
          url: frame?.url?.slice(0, 200),
        });
        throw new UntrustedSenderError(`${channel} refused: the request did not come from Annotray's window`);
      }
      if (args.length !== 1) throw new Error(`${channel} takes exactly one request object`);
      try {
        return await options.handle(channel, args[0]);
      } catch (error) {
        // Electron passes only the message to the window; keep the details here.
        logger.log('warn', 'a window request failed', { channel, error: String(error).slice(0, 500) });
        throw error;
      }
    });
  }
  return () => {
    for (const channel of options.channels) ipcMain.removeHandler(channel);
  };
}
