// One attempt over WebSocket (Django Channels' `ws/notifications/`), for servers that moved
// from SSE. It reports to the ChannelConnection exactly like the SSE Subscription does, so
// backoff, idle replacement with overlap, gaps and failures work the same for both.

import WebSocket from 'ws';
import type { RawFrame } from '../events/normalize.ts';
import type { Attempt, AttemptListener } from './attempt.ts';
import type { AttemptFacts } from './failure.ts';
import type { SubscriptionOptions } from './subscription.ts';

export class WsSubscription implements Attempt {
  readonly facts: AttemptFacts;
  /** WebSocket has no `retry:`. */
  readonly retryMs = undefined;
  connectedAt: number | undefined;
  openedAt: number | undefined;
  lastEventId: string | undefined;
  readonly #listener: AttemptListener;
  readonly #socket: WebSocket;
  readonly #now: () => number;
  #ended = false;

  constructor(options: SubscriptionOptions, listener: AttemptListener, now: () => number) {
    this.#listener = listener;
    this.#now = now;
    this.facts = { url: options.url, channel: options.channel };
    const origin = new URL(options.url.href);
    origin.protocol = origin.protocol === 'wss:' ? 'https:' : 'http:';
    this.#socket = new WebSocket(options.url, {
      handshakeTimeout: options.connectTimeoutMs,
      maxPayload: options.maxBufferSize,
      perMessageDeflate: false,
      followRedirects: false,
      // Channels' AllowedHostsOriginValidator rejects sockets whose Origin is not the server's.
      origin: origin.origin,
      headers: { 'User-Agent': options.userAgent },
      finishRequest: (request) => {
        options.authorizer
          .header()
          .then((authorization) => {
            if (authorization) request.setHeader('Authorization', authorization);
            request.end();
          })
          .catch((error: unknown) => {
            this.facts.fetchError = error;
            request.destroy(error as Error);
          });
      },
    });
    this.#socket.on('upgrade', () => {
      this.connectedAt = this.#now();
    });
    this.#socket.on('open', () => {
      if (this.#ended) return;
      this.connectedAt ??= this.#now();
      this.openedAt = this.#now();
      this.#listener.connected(this);
      this.#listener.open(this);
    });
    this.#socket.on('message', (data, isBinary) => {
      if (this.#ended) return;
      this.#listener.activity(this);
      const frame: RawFrame = {
        data: isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString(),
        eventName: 'message',
      };
      this.#listener.frame(this, frame);
    });
    // Pings are answered by `ws` itself; they show the socket is alive.
    this.#socket.on('ping', () => {
      if (!this.#ended) this.#listener.activity(this);
    });
    this.#socket.on('unexpected-response', (_request, response) => {
      this.facts.response = {
        status: response.statusCode ?? 0,
        contentType: String(response.headers['content-type'] ?? ''),
        redirected: false,
        finalUrl: options.url.href,
      };
      response.resume();
      this.#end();
    });
    this.#socket.on('error', (error) => {
      if (this.facts.response === undefined && this.facts.closeCode === undefined) {
        if (this.openedAt === undefined) this.facts.fetchError ??= error;
        else if (/max payload/i.test(error.message)) this.facts.parserError = error.message;
        else this.facts.bodyError = error;
      }
      this.#end();
    });
    this.#socket.on('close', (code, reason) => {
      if (
        this.openedAt !== undefined &&
        this.facts.parserError === undefined &&
        this.facts.bodyError === undefined
      ) {
        this.facts.closeCode = code;
        this.facts.closeReason = reason.toString();
      }
      this.#end();
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(1000, 'bye');
    else this.#socket.terminate();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#socket.terminate();
    this.#listener.ended(this, this.facts);
  }
}
