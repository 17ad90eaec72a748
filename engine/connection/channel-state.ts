// Each channel's connection state, as the window, the tray and the CLI show it.

import { formatCountdown } from '../format/duration.ts';

export type FailureKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'stopped-by-server'
  | 'not-sse'
  | 'login-page'
  | 'invalid-settings'
  | 'gone';

export type ChannelState =
  /** A request is on its way; nothing answered yet. */
  | { readonly kind: 'connecting'; readonly since: number; readonly attempt: number }
  /**
   * Subscribed. `awaitingHeaders` is true while the server holds back its response headers until
   * the first event (Daphne and gunicorn do): connected and healthy, just quiet.
   */
  | { readonly kind: 'open'; readonly since: number; readonly awaitingHeaders: boolean }
  /** Lost; the next attempt is at `nextAttemptAt`. */
  | {
      readonly kind: 'reconnecting';
      readonly since: number;
      readonly attempt: number;
      readonly nextAttemptAt: number;
      readonly reason: string;
    }
  /** Stopped for a reason retrying cannot fix; waits until the settings change. */
  | {
      readonly kind: 'failed';
      readonly since: number;
      readonly failure: FailureKind;
      readonly reason: string;
    }
  /** The user stopped following this channel for now. */
  | { readonly kind: 'paused'; readonly since: number };

/** A one-line description of a state for people (tooltip, CLI). */
export function describeState(state: ChannelState, now: number): string {
  switch (state.kind) {
    case 'connecting':
      return state.attempt === 0 ? 'connecting' : `connecting (attempt ${state.attempt + 1})`;
    case 'open':
      return state.awaitingHeaders
        ? 'connected, quiet (the server sends headers with its first event)'
        : 'connected';
    case 'reconnecting': {
      const left = formatCountdown(state.nextAttemptAt - now);
      return `reconnecting ${left === 'now' ? left : `in ${left}`}: ${state.reason}`;
    }
    case 'failed':
      return `stopped: ${state.reason}`;
    case 'paused':
      return 'paused';
  }
}
