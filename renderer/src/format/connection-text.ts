// What a channel's connection state looks like in the sidebar and the header: a tone for the
// dot, a short label, and the detail a person needs (countdown, the reason it failed).

import type { ConnectionStateDto } from '../../../contract/dto.ts';
import { countdown } from './time-text.ts';

/** `quiet`: open and healthy, but the server holds its headers back until the first event. */
export type ConnectionTone = 'ok' | 'quiet' | 'busy' | 'warn' | 'error' | 'off';

export interface ConnectionText {
  readonly tone: ConnectionTone;
  readonly label: string;
  /** Why, for a tooltip or a line under the channel. */
  readonly detail?: string;
}

/** "Reconnecting in 8 s", or "Reconnecting now" once the time has come (not "in now"). */
function reconnectingLabel(left: string): string {
  return left === 'now' ? 'Reconnecting now' : `Reconnecting in ${left}`;
}

export function describeConnection(state: ConnectionStateDto, now: number): ConnectionText {
  switch (state.kind) {
    case 'connecting':
      return {
        tone: 'busy',
        label: 'Connecting…',
        // `attempt` counts the failed ones before this, as the CLI's "attempt N" does.
        ...(state.attempt > 0 ? { detail: `Attempt ${state.attempt + 1}` } : {}),
      };
    case 'open':
      return state.awaitingHeaders
        ? {
            tone: 'quiet',
            label: 'Connected · quiet',
            detail: 'Connected. The server sends nothing until its first event; that is normal.',
          }
        : { tone: 'ok', label: 'Connected' };
    case 'reconnecting':
      return {
        tone: 'warn',
        label: reconnectingLabel(countdown(state.nextAttemptAt - now)),
        detail: state.reason,
      };
    case 'failed':
      return { tone: 'error', label: 'Failed', detail: state.reason };
    case 'paused':
      return { tone: 'off', label: 'Paused' };
  }
}
