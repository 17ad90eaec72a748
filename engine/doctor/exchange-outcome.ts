// What the doctor saw of the HTTP exchange with the stream URL, as plain data: the probe in
// probe.ts records it, the pure checks in redirect-checks.ts, response-checks.ts and
// stream-checks.ts judge it. Keeping the two apart lets the judging be tested without a server.

import { isEventStreamType } from '../connection/failure.ts';
import type { NetworkFailure } from './network-checks.ts';

/** Response headers as Node gives them: lower-case names. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface RedirectHop {
  from: string;
  status: number;
  /** The Location, resolved against `from` when it is a valid URL reference. */
  location: string;
}

export interface BodyChunk {
  /** Milliseconds after the response headers arrived. */
  atMs: number;
  bytes: number;
  /** The chunk decoded as UTF-8; empty when the body is compressed. */
  text: string;
}

export type ObservedBody =
  /** An event stream, watched for a bounded time. */
  | {
      kind: 'stream';
      chunks: BodyChunk[];
      /** How long the body was watched after the headers. */
      watchedMs: number;
      end: 'open' | 'ended' | 'broken';
      endAtMs?: number;
      /** The Content-Encoding when the body is compressed (its frames are then not decoded). */
      encoding?: string;
    }
  /** Any other answer: the start of its body, decompressed, for titles and error messages. */
  | { kind: 'document'; text: string };

export interface ObservedResponse {
  url: string;
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  /** Milliseconds from the request being sent to the headers arriving. */
  headersAfterMs: number;
  body: ObservedBody;
}

export type ExchangeOutcome =
  | { kind: 'response'; hops: RedirectHop[]; response: ObservedResponse }
  /** Connected and sent the request, but no status line arrived in time. */
  | { kind: 'no-headers'; hops: RedirectHop[]; url: string; waitedMs: number }
  | { kind: 'redirect-loop'; hops: RedirectHop[] }
  | { kind: 'too-many-redirects'; hops: RedirectHop[] }
  /** A redirect to something that is not an http(s) URL. */
  | { kind: 'bad-redirect'; hops: RedirectHop[]; location: string }
  | {
      kind: 'failed';
      hops: RedirectHop[];
      url: string;
      /** `connect`: no connection (DNS, TCP, TLS); `request`: connected, then no answer. */
      phase: 'connect' | 'request';
      failure: NetworkFailure;
      elapsedMs: number;
    };

export interface ExchangeContext {
  /** The stream URL the exchange started at. */
  streamUrl: string;
  /** The events-path template in use. */
  eventsPath: string;
  /** How the request authenticated. */
  auth: 'none' | 'token' | 'bearer' | 'pat';
  waitMs: number;
  /** `doctor --wait`: how long the stream was held open to see whether a proxy cuts it. */
  holdMs?: number;
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The media type without parameters, lower-case: `text/event-stream`. */
export function mediaType(headers: ResponseHeaders): string | undefined {
  const value = headerValue(headers, 'content-type');
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** Judged exactly as the engine's connections judge it (the `eventsource` package's rule). */
export function respondsWithEventStream(headers: ResponseHeaders): boolean {
  return isEventStreamType(headerValue(headers, 'content-type') ?? '');
}
