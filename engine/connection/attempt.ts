// One network attempt at a channel, as ChannelConnection sees it: the SSE Subscription, the
// WebSocket WsSubscription and the tests' FakeSubscription all implement it, and tell the
// connection what happens through an AttemptListener. The connection decides; an attempt only
// reports.

import type { RawFrame } from '../events/normalize.ts';
import type { AttemptFacts } from './failure.ts';
import type { SubscriptionOptions } from './subscription.ts';

export interface Attempt {
  /** When TCP (and TLS) came up; undefined before. */
  readonly connectedAt: number | undefined;
  /** When the server answered 200 with an event stream (or the socket opened). */
  readonly openedAt: number | undefined;
  /** The last SSE `id:` seen on this attempt (or the one it was opened with). */
  readonly lastEventId: string | undefined;
  /** The last valid `retry:` the server sent, in ms; undefined when none (WebSocket never). */
  readonly retryMs: number | undefined;
  readonly ended: boolean;
  /** Ends the attempt without reporting it as ended (the connection chose to). */
  close(): void;
}

export interface AttemptListener {
  /** TCP (and TLS) is up and the request is on its way. */
  connected(attempt: Attempt): void;
  /** 200 with text/event-stream, or the socket is open. */
  open(attempt: Attempt): void;
  /** Any bytes arrived (events, comments, heartbeats). */
  activity(attempt: Attempt): void;
  frame(attempt: Attempt, frame: RawFrame): void;
  /** The attempt is over; `facts` say why. Called once. */
  ended(attempt: Attempt, facts: AttemptFacts): void;
}

export type AttemptFactory = (
  options: SubscriptionOptions,
  listener: AttemptListener,
  now: () => number,
) => Attempt;
