// The doctor's contact with the network: DNS lookup, TCP connect, TLS handshake and the HTTP
// exchange with the stream URL, each bounded by a timeout and by the caller's AbortSignal.
// Everything here records facts (codes, timings, bytes); the *-checks.ts modules judge them.
// Plain node:http rather than fetch, because the doctor must see what fetch hides: when the
// headers came, each redirect, the raw Content-Encoding and the arrival time of every chunk.

import { lookup } from 'node:dns/promises';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect } from 'node:net';
import { type PeerCertificate, connect as tlsConnect } from 'node:tls';
import { brotliDecompressSync, gunzipSync, inflateSync, constants as zlib } from 'node:zlib';
import type { ExchangeOutcome, ObservedBody, RedirectHop } from './exchange-outcome.ts';
import { respondsWithEventStream } from './exchange-outcome.ts';
import {
  type CertificateFacts,
  type DnsOutcome,
  failureOf,
  type NetworkFailure,
  type TcpAttempt,
  type TlsOutcome,
} from './network-checks.ts';
import { decideRedirect, REDIRECT_STATUSES } from './redirect-checks.ts';

const now = (): number => performance.now();

function timeoutFailure(what: string, ms: number): NetworkFailure {
  return { code: 'TIMEOUT', message: `${what} did not finish within ${Math.round(ms)} ms` };
}

/**
 * Runs `start` until it settles, the timeout passes (`onTimeout` decides the result) or the
 * signal aborts (rejects with its reason). `start` returns a cleanup that releases its sockets.
 */
function bounded<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  onTimeout: () => T,
  start: (settle: (value: T) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let done = false;
    let cleanup: () => void = () => {};
    const end = (): void => {
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup();
    };
    const settle = (value: T): void => {
      if (done) return;
      end();
      resolve(value);
    };
    const onAbort = (): void => {
      if (done) return;
      end();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => settle(onTimeout()), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      cleanup = start(settle);
    } catch (error) {
      end();
      reject(error);
      return;
    }
    if (done) cleanup();
  });
}

// --- DNS, TCP, TLS ---------------------------------------------------------------------------

export function resolveHost(host: string, timeoutMs: number, signal?: AbortSignal): Promise<DnsOutcome> {
  if (isIP(host)) return Promise.resolve({ kind: 'literal', address: host });
  const started = now();
  const elapsed = (): number => now() - started;
  return bounded<DnsOutcome>(
    timeoutMs,
    signal,
    () => ({ kind: 'failed', failure: timeoutFailure('the DNS lookup', timeoutMs), elapsedMs: elapsed() }),
    (settle) => {
      // getaddrinfo cannot be cancelled; a late answer is simply ignored.
      lookup(host, { all: true, verbatim: true }).then(
        (found) =>
          settle({ kind: 'resolved', addresses: found.map((entry) => entry.address), elapsedMs: elapsed() }),
        (error: unknown) => settle({ kind: 'failed', failure: failureOf(error), elapsedMs: elapsed() }),
      );
      return () => {};
    },
  );
}

export function connectTcp(
  address: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TcpAttempt> {
  const started = now();
  return bounded<TcpAttempt>(
    timeoutMs,
    signal,
    () => ({
      address,
      connected: false,
      failure: timeoutFailure('the TCP connect', timeoutMs),
      elapsedMs: now() - started,
    }),
    (settle) => {
      const socket = netConnect({ host: address, port });
      socket.once('connect', () => settle({ address, connected: true, elapsedMs: now() - started }));
      socket.once('error', (error) =>
        settle({ address, connected: false, failure: failureOf(error), elapsedMs: now() - started }),
      );
      return () => socket.destroy();
    },
  );
}

function nameOf(entity: PeerCertificate['subject'] | undefined): string | undefined {
  if (!entity) return undefined;
  const value = entity.CN ?? entity.O;
  return Array.isArray(value) ? value.join(', ') : value;
}

export function certificateFacts(certificate: PeerCertificate | undefined): CertificateFacts {
  if (!certificate || Object.keys(certificate).length === 0) return {};
  const altNames = certificate.subjectaltname
    ?.split(',')
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return {
    subject: nameOf(certificate.subject),
    issuer: nameOf(certificate.issuer),
    validFrom: certificate.valid_from,
    validTo: certificate.valid_to,
    altNames,
  };
}

/**
 * Completes a TLS handshake without rejecting the certificate, so a bad certificate can be
 * described (whom it is for, until when) instead of only named.
 */
export function handshakeTls(
  address: string,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TlsOutcome> {
  const started = now();
  return bounded<TlsOutcome>(
    timeoutMs,
    signal,
    () => ({
      kind: 'failed',
      failure: timeoutFailure('the TLS handshake', timeoutMs),
      elapsedMs: now() - started,
    }),
    (settle) => {
      const socket = tlsConnect({
        host: address,
        port,
        // SNI and the name check use the host name; an IP literal is checked against IP SANs.
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      socket.once('secureConnect', () => {
        const error: unknown = socket.authorizationError;
        settle({
          kind: 'handshake',
          protocol: socket.getProtocol() ?? undefined,
          certificate: certificateFacts(socket.getPeerCertificate()),
          error: socket.authorized
            ? undefined
            : String(
                error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : error,
              ),
          elapsedMs: now() - started,
        });
      });
      socket.once('error', (error) =>
        settle({ kind: 'failed', failure: failureOf(error), elapsedMs: now() - started }),
      );
      return () => socket.destroy();
    },
  );
}

// --- HTTP ------------------------------------------------------------------------------------

type Attempt =
  | { kind: 'response'; req: ClientRequest; res: IncomingMessage; headersAfterMs: number }
  | { kind: 'no-headers'; waitedMs: number }
  | { kind: 'failed'; phase: 'connect' | 'request'; failure: NetworkFailure; elapsedMs: number };

/** Sends one GET and waits for its headers; the caller owns `req` when a response arrives. */
function requestOnce(
  url: URL,
  headers: Record<string, string>,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  const started = now();
  let connected = false;
  let sentAt: number | undefined;
  let owned = false;
  return bounded<Attempt>(
    waitMs,
    signal,
    () =>
      connected && sentAt !== undefined
        ? { kind: 'no-headers', waitedMs: waitMs }
        : {
            kind: 'failed',
            phase: connected ? 'request' : 'connect',
            failure: timeoutFailure(connected ? 'sending the request' : 'connecting', waitMs),
            elapsedMs: now() - started,
          },
    (settle) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { method: 'GET', headers, agent: false });
      request.once('socket', (socket) => {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      request.once('finish', () => {
        sentAt = now();
      });
      request.once('response', (res) => {
        owned = true;
        settle({ kind: 'response', req: request, res, headersAfterMs: now() - (sentAt ?? started) });
      });
      // Errors after the response belong to the body readers; before it they end the attempt.
      request.on('error', (error) =>
        settle({
          kind: 'failed',
          phase: connected ? 'request' : 'connect',
          failure: failureOf(error),
          elapsedMs: now() - started,
        }),
      );
      request.end();
      return () => {
        if (!owned) request.destroy();
      };
    },
  );
}

const DOCUMENT_LIMIT = 64 * 1024;
const STREAM_TEXT_LIMIT = 64 * 1024;
const STREAM_BYTE_LIMIT = 1024 * 1024;

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, { finishFlush: zlib.Z_SYNC_FLUSH });
      case 'deflate':
        return inflateSync(body, { finishFlush: zlib.Z_SYNC_FLUSH });
      case 'br':
        return brotliDecompressSync(body, { finishFlush: zlib.BROTLI_OPERATION_FLUSH });
      default:
        return body;
    }
  } catch {
    return Buffer.alloc(0);
  }
}

function contentEncoding(res: IncomingMessage): string | undefined {
  const value = res.headers['content-encoding']?.trim();
  return value && value.toLowerCase() !== 'identity' ? value : undefined;
}

/** Reads the start of a non-stream answer (error page, login page, JSON) for its message. */
function readDocument(
  res: IncomingMessage,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ObservedBody> {
  const parts: Buffer[] = [];
  let size = 0;
  const result = (): ObservedBody => ({
    kind: 'document',
    text: decompress(Buffer.concat(parts), contentEncoding(res)).toString('utf8'),
  });
  return bounded<ObservedBody>(timeoutMs, signal, result, (settle) => {
    res.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= DOCUMENT_LIMIT) settle(result());
    });
    res.once('end', () => settle(result()));
    res.once('close', () => settle(result()));
    res.once('error', () => settle(result()));
    return () => {};
  });
}

/**
 * Watches an event stream: up to `waitMs` for the first bytes, then `settleMs` more to see how
 * the following ones arrive. Every chunk's arrival time is kept for the buffering check.
 */
function watchStream(
  res: IncomingMessage,
  waitMs: number,
  settleMs: number,
  signal: AbortSignal | undefined,
  hold = false,
): Promise<ObservedBody> {
  const started = now();
  const encoding = contentEncoding(res);
  const decoder = new TextDecoder();
  const chunks: { atMs: number; bytes: number; text: string }[] = [];
  let bytes = 0;
  let textKept = 0;
  const observed = (end: 'open' | 'ended' | 'broken'): ObservedBody => {
    const elapsed = now() - started;
    return {
      kind: 'stream',
      chunks,
      watchedMs: elapsed,
      end,
      ...(end === 'open' ? {} : { endAtMs: elapsed }),
      ...(encoding ? { encoding } : {}),
    };
  };
  // The overall bound covers a stream that keeps trickling; the settle timer ends the watch
  // early once the first bytes are in.
  return bounded<ObservedBody>(
    waitMs + settleMs,
    signal,
    () => observed('open'),
    (settle) => {
      let firstTimer: ReturnType<typeof setTimeout> | undefined;
      const silence = setTimeout(() => settle(observed('open')), waitMs);
      res.on('data', (chunk: Buffer) => {
        const atMs = now() - started;
        const text = encoding || textKept >= STREAM_TEXT_LIMIT ? '' : decoder.decode(chunk, { stream: true });
        textKept += text.length;
        bytes += chunk.length;
        chunks.push({ atMs, bytes: chunk.length, text });
        if (chunks.length === 1 && !hold) {
          clearTimeout(silence);
          firstTimer = setTimeout(() => settle(observed('open')), settleMs);
        }
        if (bytes >= STREAM_BYTE_LIMIT) settle(observed('open'));
      });
      res.once('end', () => settle(observed('ended')));
      res.once('close', () => settle(observed(res.complete ? 'ended' : 'broken')));
      res.once('error', () => settle(observed('broken')));
      return () => {
        clearTimeout(silence);
        clearTimeout(firstTimer);
      };
    },
  );
}

export interface ExchangeOptions {
  /** Headers for every hop; `authorization` is sent only to the stream URL's origin. */
  headers: Record<string, string>;
  waitMs: number;
  /** How long to keep watching the stream after its first bytes. */
  settleMs: number;
  /**
   * When set, waits this long for headers and watches the stream for this long in all, first
   * bytes or not (doctor --wait: to see whether a proxy closes a quiet stream).
   */
  holdMs?: number;
  signal?: AbortSignal;
}

/** GETs the stream URL, following up to 5 redirects by hand, and records what each hop did. */
export async function exchange(start: URL, options: ExchangeOptions): Promise<ExchangeOutcome> {
  const { settleMs, holdMs, signal } = options;
  const waitMs = holdMs ?? options.waitMs;
  const hops: RedirectHop[] = [];
  const visited = new Set<string>([start.href]);
  let url = start;
  for (;;) {
    const headers = { ...options.headers };
    // Like fetch and browsers: credentials stay with the origin they were meant for.
    if (url.origin !== start.origin) delete headers.authorization;
    const attempt = await requestOnce(url, headers, waitMs, signal);
    if (attempt.kind === 'no-headers')
      return { kind: 'no-headers', hops, url: url.href, waitedMs: attempt.waitedMs };
    if (attempt.kind === 'failed') return { ...attempt, hops, url: url.href };

    const { req, res, headersAfterMs } = attempt;
    try {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        res.resume();
        const decision = decideRedirect(url, location, visited, hops.length + 1);
        hops.push({
          from: url.href,
          status,
          location: decision.kind === 'bad-location' ? location : decision.url.href,
        });
        if (decision.kind === 'loop') return { kind: 'redirect-loop', hops };
        if (decision.kind === 'too-many') return { kind: 'too-many-redirects', hops };
        if (decision.kind === 'bad-location') return { kind: 'bad-redirect', hops, location };
        visited.add(decision.url.href);
        url = decision.url;
        continue;
      }
      const body =
        status === 200 && respondsWithEventStream(res.headers)
          ? await watchStream(res, waitMs, settleMs, signal, holdMs !== undefined)
          : await readDocument(res, Math.min(waitMs, 5_000), signal);
      return {
        kind: 'response',
        hops,
        response: {
          url: url.href,
          status,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          headersAfterMs,
          body,
        },
      };
    } finally {
      req.destroy();
    }
  }
}
