// The window's one way to talk to main: the `window.annotray` object the preload exposes.
// Everything else in the renderer reaches main through the store, never through this directly.

import type { AnnotrayApi } from '../../contract/ipc-contract.ts';

declare global {
  interface Window {
    readonly annotray?: AnnotrayApi;
  }
}

/** The preload's API, or undefined when the page runs outside Annotray (a plain browser). */
export function findBridge(): AnnotrayApi | undefined {
  return window.annotray;
}
