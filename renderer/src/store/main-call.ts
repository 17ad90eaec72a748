// One way for the store to ask main: with no bridge, or when a request is rejected, the person
// is told in a notice and the caller gets `undefined`, never an unhandled rejection.

import type { AnnotrayApi } from '../../../contract/ipc-contract.ts';

export const NO_BRIDGE = 'This window is not connected to Annotray: open it from the Annotray tray icon.';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type NotifyError = (text: string) => void;

/** `what` finishes "Could not …", e.g. "save the server". */
export type MainCall = <T>(what: string, run: (bridge: AnnotrayApi) => Promise<T>) => Promise<T | undefined>;

export function mainCaller(api: AnnotrayApi | undefined, notifyError: NotifyError): MainCall {
  return async (what, run) => {
    if (!api) {
      notifyError(NO_BRIDGE);
      return undefined;
    }
    try {
      return await run(api);
    } catch (error) {
      notifyError(`Could not ${what}: ${messageOf(error)}`);
      return undefined;
    }
  };
}
