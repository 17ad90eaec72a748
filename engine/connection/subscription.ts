// One attempt to subscribe to one channel: one EventSource (from the `eventsource` package)
// over its own undici dispatcher. The dispatcher is how we learn that the TCP/TLS
// connection is up while a quiet Daphne holds its headers back, and its timeouts are set
// for streams that are silent for hours. The attempt reports what it saw and never
// reconnects by itself: when it ends, the ChannelConnection decides what happens next.

import { EventSource } from 'eventsource';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { Attempt, AttemptListener } from './attempt.ts';
import type { Authorizer } from './auth.ts';
import { EventSizeGuard } from './event-size-guard.ts';
import { type AttemptFacts, isEventStreamType } from './failure.ts';
import { RetryFieldScanner } from './retry-field.ts';

export interface SubscriptionOptions {
  readonly url: URL;
  readonly channel: string;
  readonly authorizer: Authorizer;
  readonly lastEventId?: string;
  readonly maxBufferSize: number;
  readonly connectTimeoutMs: number;
  readonly userAgent: string;
  /** The HTTP client; tests pass a fake. Defaults to undici's fetch over this attempt's dispatcher. */
  readonly fetch?: (url: string | URL, init: AttemptRequest) => Promise<Response>;
}

export interface AttemptRequest {
  readonly method: 'GET';
  readonly headers: Record<string, string>;
  readonly redirect: 'follow';
  readonly signal: AbortSignal;
  readonly dispatcher: unknown;
}

const PREVIEW_BYTES = 4096;

let nextId = 0;

/** An EventSource that hands every message to us, whatever its `event:` name. */
class CatchAllEventSource extends EventSource {
  onAnyMessage: ((event: MessageEvent) => void) | undefined;

  override dispatchEvent(event: Event): boolean {
    // The library's own `open` and `error` are a plain Event and an ErrorEvent; every server
    // event is a MessageEvent, whatever its name — a server event named `error` is data.
    if (event instanceof MessageEvent) {
      this.onAnyMessage?.(event);
      return true;
    }
    return super.dispatchEvent(event);
  }
}

async function readPreview(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < PREVIEW_BYTES) {
      const { done, value } = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((resolve) =>
          setTimeout(() => resolve({ done: true, value: undefined }), 2_000).unref(),
        ),
      ]);
      if (done || !value) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A preview is a courtesy: an error here leaves it shorter.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, PREVIEW_BYTES));
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3_600_000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.min(date - Date.now(), 3_600_000)) : undefined;
}

/** The longest `id:` sent back as `Last-Event-ID`; proxies answer 400/431 to huge headers. */
export const MAX_LAST_EVENT_ID_CHARS = 1024;

/**
 * The header value for an id, as the spec and the `eventsource` package send it: its UTF-8
 * bytes, one byte per header character (undici refuses characters above U+00FF). An id longer
 * than MAX_LAST_EVENT_ID_CHARS is not sent. The parser drops ids with NUL and CR/LF end a line,
 * but they are dropped here too, so no id can make the client refuse the request.
 */
export function lastEventIdHeader(id: string | undefined): string | undefined {
  if (!id || id.length > MAX_LAST_EVENT_ID_CHARS || /[\0\r\n]/.test(id)) return undefined;
  return Buffer.from(id, 'utf8').toString('latin1');
}

export class Subscription implements Attempt {
  readonly id = ++nextId;
  readonly facts: AttemptFacts;
  readonly retry = new RetryFieldScanner();

  get retryMs(): number | undefined {
    return this.retry.value;
  }
  connectedAt: number | undefined;
  openedAt: number | undefined;
  lastEventId: string | undefined;
  readonly #options: SubscriptionOptions;
  readonly #listener: AttemptListener;
  readonly #agent: Agent;
  readonly #source: CatchAllEventSource;
  #ended = false;
  #saidLongId = false;

  constructor(options: SubscriptionOptions, listener: AttemptListener, now: () => number) {
    this.#options = options;
    this.#listener = listener;
    this.lastEventId = options.lastEventId;
    this.facts = { url: options.url, channel: options.channel };
    const connector = buildConnector({ timeout: options.connectTimeoutMs });
    this.#agent = new Agent({
      // Quiet servers send nothing for hours and Daphne sends no headers until the first event:
      // undici's 5-minute defaults would kill healthy streams. Stalls are caught by the idle refresh.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 1_000,
      connections: 1,
      connect: (connectOptions, callback) => {
        connector(connectOptions, (error, socket) => {
          if (!error && socket && !this.#ended) {
            socket.setKeepAlive(true, 60_000);
            this.connectedAt = now();
            queueMicrotask(() => {
              if (!this.#ended) this.#listener.connected(this);
            });
          }
          if (error) callback(error, null);
          else callback(null, socket);
        });
      },
    });
    this.#source = new CatchAllEventSource(options.url, {
      fetch: (input, init) => this.#fetch(input, init),
      // The guard in the tap passes only whole events of at most maxBufferSize bytes, so the
      // parser's own limit (which would end the connection) is never reached.
      maxBufferSize: options.maxBufferSize * 2 + 1024,
    });
    this.#source.onAnyMessage = (event) => {
      if (this.#ended) return;
      if (event.lastEventId) this.lastEventId = event.lastEventId;
      if (event.lastEventId.length > MAX_LAST_EVENT_ID_CHARS && !this.#saidLongId) {
        this.#saidLongId = true;
        this.#skipped(
          `an id of ${event.lastEventId.length} characters is longer than ${MAX_LAST_EVENT_ID_CHARS}: it is kept for dedupe (hashed) but not sent back as Last-Event-ID`,
        );
      }
      const data = typeof event.data === 'string' ? event.data : String(event.data);
      this.#listener.frame(
        this,
        event.lastEventId
          ? { data, eventName: event.type, sseId: event.lastEventId }
          : { data, eventName: event.type },
      );
    };
    this.#source.addEventListener('open', () => {
      if (this.#ended) return;
      this.openedAt = now();
      this.#listener.open(this);
    });
    this.#source.addEventListener('error', (event) => {
      const message = (event as { message?: string }).message;
      if (message && /buffer size/i.test(message)) this.facts.parserError = message;
      this.#end();
    });
  }

  /** Reports something skipped on this connection, which stays open. */
  #skipped(reason: string): void {
    if (!this.#ended) this.#listener.frame(this, { data: '', skipped: reason });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Closes the attempt without reporting it (we chose to end it). */
  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#source.close();
    void this.#agent.destroy().catch(() => {});
  }

  #end(): void {
    if (this.#ended) return;
    this.close();
    this.#listener.ended(this, this.facts);
  }

  async #fetch(
    input: string | URL,
    init: { headers: Record<string, string>; signal?: unknown; redirect?: string },
  ) {
    const headers: Record<string, string> = {
      ...init.headers,
      'Cache-Control': 'no-cache',
      'User-Agent': this.#options.userAgent,
    };
    const lastEventId = lastEventIdHeader(this.lastEventId);
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    try {
      const authorization = await this.#options.authorizer.header();
      if (authorization) headers.Authorization = authorization;
      const fetchImpl =
        this.#options.fetch ?? (undiciFetch as unknown as NonNullable<SubscriptionOptions['fetch']>);
      const response = (await fetchImpl(input, {
        method: 'GET',
        headers,
        redirect: 'follow',
        signal: init.signal as AbortSignal,
        dispatcher: this.#agent,
      })) as Response;
      const contentType = response.headers.get('content-type') ?? '';
      const retryAfter = retryAfterMs(response.headers.get('retry-after'));
      this.facts.response = {
        status: response.status,
        contentType,
        redirected: response.redirected,
        finalUrl: response.url || String(input),
        ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
      };
      const ok = response.status === 200 && isEventStreamType(contentType) && response.body;
      if (!ok && response.status !== 204) this.facts.preview = await readPreview(response);
      // The fields EventSource reads; the body goes through our tap.
      return {
        status: response.status,
        url: response.url || String(input),
        redirected: response.redirected,
        headers: response.headers,
        body: ok && response.body ? this.#tap(response.body) : null,
      };
    } catch (error) {
      if (!this.#ended) this.facts.fetchError = error;
      throw error;
    }
  }

  /**
   * Passes the body through while counting bytes, watching for `retry:`, recording how it
   * ended, and dropping any event larger than maxBufferSize (reported, connection kept).
   * A bare reader, not another ReadableStream: the `eventsource` package only calls
   * `getReader().read()`, and a second stream's queue and promises cost more per event
   * than everything else the tap does.
   */
  #tap(body: ReadableStream<Uint8Array>): { getReader(): ReaderLike } {
    const reader = body.getReader();
    const guard = new EventSizeGuard(this.#options.maxBufferSize, ({ bytes }) =>
      this.#skipped(
        `an event of ${formatBytes(bytes)} is larger than the ${formatBytes(this.#options.maxBufferSize)} limit`,
      ),
    );
    /** Events the guard let through from one read, handed out one per read(). */
    let ready: Uint8Array[] = [];
    let next = 0;
    const read = async (): Promise<ReadResult> => {
      if (next < ready.length) return { done: false, value: ready[next++] as Uint8Array };
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            this.facts.ended = true;
            return { done: true, value: undefined };
          }
          this.retry.feedBytes(value);
          if (!this.#ended) this.#listener.activity(this);
          const events = guard.feed(value);
          if (events.length === 0) continue;
          ready = events;
          next = 1;
          return { done: false, value: events[0] as Uint8Array };
        }
      } catch (error) {
        if (!this.#ended) this.facts.bodyError = error;
        throw error;
      }
    };
    return { getReader: () => ({ read, cancel: (reason?: unknown) => reader.cancel(reason) }) };
  }
}

type ReadResult = { done: false; value: Uint8Array } | { done: true; value: undefined };

interface ReaderLike {
  read(): Promise<ReadResult>;
  cancel(reason?: unknown): Promise<void>;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
