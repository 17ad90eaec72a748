// A fault-injecting SSE server on 127.0.0.1 for integration tests. It reproduces what real
// deployments do to a client (PRODUCT.md §1): Daphne and gunicorn hold back the status line
// until the first event, streams stall silently after a Redis restart, a killed server cuts
// the TCP connection without the final chunk, a stopped one refuses connections, a last_n
// server replays history on every connect, and proxies answer with redirects, 502s and
// HTML login pages.

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

export type Scenario =
  | {
      kind: 'stream';
      /** Send no status line or headers until the first `send` (Daphne, gunicorn). */
      holdHeaders?: boolean;
      /** Frames written on every connect, like a server that replays the last N messages. */
      replay?: string[];
      /** Defaults to `text/event-stream`. */
      contentType?: string;
      headers?: Record<string, string>;
      /** Written on connect before `replay`, e.g. `: connected\n\n`. */
      initial?: string;
    }
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { kind: 'redirect'; status?: number; location: string }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  | { kind: 'handler'; handle: (req: IncomingMessage, res: ServerResponse) => void };

export interface RecordedRequest {
  readonly path: string;
  readonly url: string;
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

export interface SseTestServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Routes a path (without query) to a scenario; a later call for the same path replaces it. */
  route(path: string, scenario: Scenario): void;
  /** Writes raw text to every live stream on the path; with `holdHeaders` the first send also releases the headers. */
  send(path: string, raw: string): void;
  sendBytes(path: string, bytes: Uint8Array): void;
  /** Existing streams on the path stay open but receive nothing more; new connections are live. */
  stall(path: string): void;
  /** Destroys sockets abruptly, without the final chunk: every socket, or those of one path. */
  dropAll(path?: string): void;
  /** Ends open streams cleanly (final chunk sent). */
  endAll(path?: string): void;
  openStreams(path: string): number;
  readonly requests: ReadonlyArray<RecordedRequest>;
  /** Resolves once at least `count` requests to the path have arrived. */
  waitForRequests(path: string, count: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once exactly `count` streams are open on the path: 1 after a connect, 2 while a
   * replacement overlaps the old one, 0 after the client closed them all.
   */
  waitForOpenStreams(path: string, count: number, timeoutMs?: number): Promise<void>;
  /** Closes the listener and drops every socket: new connections are refused. */
  stopListening(): Promise<void>;
  /** Listens again on the same port. */
  startListening(): Promise<void>;
  close(): Promise<void>;
}

interface OpenStream {
  readonly path: string;
  readonly res: ServerResponse;
  stalled: boolean;
}

/** A request answered by `hang` or `handler`: kept so `dropAll(path)` can cut it too. */
interface PendingExchange {
  readonly path: string;
  readonly res: ServerResponse;
}

const DEFAULT_WAIT_MS = 5_000;

function pathOf(rawUrl: string | undefined): string {
  return new URL(rawUrl ?? '/', 'http://127.0.0.1').pathname;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function startSseTestServer(): Promise<SseTestServer> {
  const routes = new Map<string, Scenario>();
  const streams = new Set<OpenStream>();
  const pending = new Set<PendingExchange>();
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  // Waiters re-check their condition whenever requests or streams change.
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req.url);
    requests.push({
      path,
      url: req.url ?? '/',
      method: req.method ?? 'GET',
      headers: req.headers,
      at: Date.now(),
    });
    const scenario = routes.get(path);
    if (!scenario) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${path}\n`);
      changed();
      return;
    }
    switch (scenario.kind) {
      case 'status': {
        const headers: OutgoingHttpHeaders = {
          'content-type': scenario.contentType ?? 'text/plain',
          ...scenario.headers,
        };
        res.writeHead(scenario.status, headers).end(scenario.body ?? '');
        break;
      }
      case 'redirect':
        res.writeHead(scenario.status ?? 302, { location: scenario.location }).end();
        break;
      case 'hang':
      case 'handler': {
        const exchange: PendingExchange = { path, res };
        pending.add(exchange);
        res.on('close', () => pending.delete(exchange));
        if (scenario.kind === 'handler') scenario.handle(req, res);
        break;
      }
      case 'stream': {
        const stream: OpenStream = { path, res, stalled: false };
        streams.add(stream);
        res.on('close', () => {
          streams.delete(stream);
          changed();
        });
        // writeHead only queues the headers: Node sends them with the first body write, which
        // is exactly the held-back behaviour; flushHeaders sends them at once.
        res.writeHead(200, {
          'content-type': scenario.contentType ?? 'text/event-stream',
          'cache-control': 'no-cache',
          ...scenario.headers,
        });
        const opening = (scenario.initial ?? '') + (scenario.replay ?? []).join('');
        if (opening) res.write(opening);
        else if (!scenario.holdHeaders) res.flushHeaders();
        break;
      }
    }
    changed();
  }

  const server = createServer(answer);
  // Long-lived streams must not be cut by the server's own timeouts during a test.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 1_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await listen(server, 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  const port = address.port;
  let listening = true;

  function write(path: string, chunk: string | Uint8Array): void {
    for (const stream of streams) {
      if (stream.path === path && !stream.stalled && !stream.res.destroyed) stream.res.write(chunk);
    }
  }

  function dropAll(path?: string): void {
    if (path === undefined) {
      for (const socket of sockets) socket.destroy();
      return;
    }
    for (const { path: p, res } of [...streams, ...pending]) {
      if (p === path) res.socket?.destroy();
    }
  }

  function waitUntil(condition: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
    });
  }

  const countRequests = (path: string): number => requests.filter((r) => r.path === path).length;
  const countStreams = (path: string): number => [...streams].filter((s) => s.path === path).length;

  async function stopListening(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    dropAll();
    await closed;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(path, scenario) {
      routes.set(path, scenario);
    },
    send(path, raw) {
      write(path, raw);
    },
    sendBytes(path, bytes) {
      write(path, bytes);
    },
    stall(path) {
      for (const stream of streams) if (stream.path === path) stream.stalled = true;
    },
    dropAll,
    endAll(path) {
      for (const stream of streams) if (path === undefined || stream.path === path) stream.res.end();
    },
    openStreams: countStreams,
    waitForRequests(path, count, timeoutMs = DEFAULT_WAIT_MS) {
      return waitUntil(
        () => countRequests(path) >= count,
        () => `${count} requests to ${path} (saw ${countRequests(path)})`,
        timeoutMs,
      );
    },
    waitForOpenStreams(path, count, timeoutMs = DEFAULT_WAIT_MS) {
      return waitUntil(
        () => countStreams(path) === count,
        () => `exactly ${count} open streams on ${path} (have ${countStreams(path)})`,
        timeoutMs,
      );
    },
    stopListening,
    async startListening() {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    close: stopListening,
  };
}
