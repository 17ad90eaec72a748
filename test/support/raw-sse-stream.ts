// A deliberately dumb SSE reader on node:http for tests that check what servers put on the
// wire, independently of the engine: when the status line and headers arrive (Daphne sends
// none before the first event), every byte as received, and how the connection ended
// (a clean final chunk, a cut, or still open).

import http from 'node:http';

export interface RawSseEvent {
  id?: string;
  event?: string;
  retry?: string;
  data: string;
}

export interface StreamEnd {
  /** True when the body ended with its final chunk; false when the connection was cut. */
  complete: boolean;
  error?: Error;
}

export interface RawSseStream {
  /** Resolves when the status line and headers arrive; rejects if the request fails first. */
  readonly response: Promise<http.IncomingMessage>;
  /** Resolves when the connection is gone, however it ended. */
  readonly ended: Promise<StreamEnd>;
  headersReceived(): boolean;
  isOpen(): boolean;
  /** Body bytes received so far, as text. */
  text(): string;
  /** Number of 'data' reads, to see how a proxy chunks the stream. */
  reads(): number;
  /** Complete events received so far (blank-line terminated), comments dropped. */
  events(): RawSseEvent[];
  /** Comment lines (`: ...`) received so far. */
  comments(): string[];
  /** Every `retry:` value received so far. */
  retries(): string[];
  /** Waits until `events()` has at least `count` events; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<RawSseEvent[]>;
  /** Waits until the text contains `needle`; rejects after `timeoutMs`. */
  waitForText(needle: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

interface ParsedBlocks {
  events: RawSseEvent[];
  comments: string[];
  retries: string[];
}

// Blocks with at least one data line count as events (what an EventSource would dispatch).
function parseBlocks(text: string): ParsedBlocks {
  const events: RawSseEvent[] = [];
  const comments: string[] = [];
  const retries: string[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  blocks.pop(); // the part after the last blank line is not complete yet
  for (const block of blocks) {
    const event: RawSseEvent = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id' || field === 'event') event[field] = value;
      else if (field === 'retry') {
        event.retry = value;
        retries.push(value);
      }
    }
    if (data.length === 0) continue;
    event.data = data.join('\n');
    events.push(event);
  }
  return { events, comments, retries };
}

export function openRawSseStream(url: string, headers: Record<string, string> = {}): RawSseStream {
  let body = '';
  let readCount = 0;
  let gotHeaders = false;
  let open = true;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  let resolveEnded: (end: StreamEnd) => void = () => {};
  const ended = new Promise<StreamEnd>((resolve) => {
    resolveEnded = resolve;
  });
  const finish = (end: StreamEnd) => {
    if (!open) return;
    open = false;
    resolveEnded(end);
    notify();
  };

  const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', (res) => {
      gotHeaders = true;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        readCount++;
        notify();
      });
      res.on('error', (error) => finish({ complete: res.complete, error }));
      res.on('close', () => finish({ complete: res.complete }));
      resolve(res);
    });
    request.on('error', (error) => {
      reject(error);
      finish({ complete: false, error });
    });
    request.on('close', () => {
      if (!gotHeaders) finish({ complete: false });
    });
  });
  response.catch(() => {}); // callers that only look at `ended` must not see an unhandled rejection

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        } else if (!open) {
          cleanup();
          reject(
            new Error(`the stream ${url} ended while waiting for ${what}; received: ${JSON.stringify(body)}`),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(body)}`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(attempt);
      };
      listeners.add(attempt);
      attempt();
    });

  return {
    response,
    ended,
    headersReceived: () => gotHeaders,
    isOpen: () => open,
    text: () => body,
    reads: () => readCount,
    events: () => parseBlocks(body).events,
    comments: () => parseBlocks(body).comments,
    retries: () => parseBlocks(body).retries,
    waitForEvents(count, timeoutMs = 5_000) {
      return waitFor(
        () => {
          const events = parseBlocks(body).events;
          return events.length >= count ? events : undefined;
        },
        timeoutMs,
        `${count} event(s)`,
      );
    },
    waitForText(needle, timeoutMs = 5_000) {
      return waitFor(() => (body.includes(needle) ? body : undefined), timeoutMs, JSON.stringify(needle));
    },
    close() {
      request.destroy();
    },
  };
}
