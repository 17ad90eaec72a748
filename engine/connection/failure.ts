// Why a connection attempt ended, in words a person can act on, and whether trying again
// can help. Retrying cannot fix a wrong token, a wrong URL or a login page; it can fix a
// server that is restarting, a proxy answering 502, or a network that went away.

import { clipText } from '../text/clip.ts';
import { htmlTitle, looksLikeLoginPage, looksLikeLoginUrl } from '../text/html-page.ts';
import type { FailureKind } from './channel-state.ts';

/** What one attempt saw before it ended. */
export interface AttemptFacts {
  readonly url: URL;
  readonly channel: string;
  /** The HTTP answer, when one came. */
  response?: {
    readonly status: number;
    readonly contentType: string;
    readonly redirected: boolean;
    readonly finalUrl: string;
    readonly retryAfterMs?: number;
  };
  /** The first bytes of a non-SSE body (login pages are recognised by them). */
  preview?: string;
  /** fetch itself failed: DNS, TCP, TLS, redirect loop, token exchange. */
  fetchError?: unknown;
  /** The stream broke while reading. */
  bodyError?: unknown;
  /** The server ended the stream cleanly. */
  ended?: boolean;
  /** The parser gave up (a line over maxBufferSize). */
  parserError?: string;
  /** WebSocket only: the close code and reason the socket ended with. */
  closeCode?: number;
  closeReason?: string;
}

export type Verdict =
  | { readonly retry: true; readonly reason: string; readonly minDelayMs?: number }
  | {
      readonly retry: false;
      readonly failure: FailureKind;
      readonly reason: string;
      /** The answer leaves no doubt (a 401 whose body says the token is invalid): never retried. */
      readonly unambiguous?: boolean;
    };

/** A 401 body that says outright what is wrong with the token (DRF, Label Studio, JWT). */
const TOKEN_REJECTED =
  /\b(invalid|expired|revoked)\b[^.]{0,40}\btoken\b|\btoken\b[^.]{0,40}\b(invalid|expired|revoked|not valid)\b/i;

const SSE_TYPE = /^[\t\n\r ]*text\/event-stream[\t\n\r ]*(?:;|$)/i;

/** True for a Content-Type naming an event stream, judged as the `eventsource` package judges it. */
export function isEventStreamType(contentType: string): boolean {
  return SSE_TYPE.test(contentType);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && message && !parts.includes(message)) parts.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);

/** A login page by its content, or a redirect that ended on a login URL (the doctor's rule too). */
function answeredWithLoginPage(facts: AttemptFacts): boolean {
  const response = facts.response;
  if (response?.redirected && looksLikeLoginUrl(response.finalUrl)) return true;
  return looksLikeLoginPage(facts.preview);
}

export function classifyAttempt(facts: AttemptFacts): Verdict {
  const where = facts.url.pathname;
  if (facts.parserError) {
    return { retry: true, reason: `the server sent an event too large to accept (${facts.parserError})` };
  }
  const response = facts.response;
  if (response) {
    const { status } = response;
    if (status === 200 && !isEventStreamType(response.contentType)) {
      if (answeredWithLoginPage(facts)) {
        const page = response.redirected ? ` (redirected to ${new URL(response.finalUrl).pathname})` : '';
        return {
          retry: false,
          failure: 'login-page',
          reason: `the server answered with a login page${page}: authentication is missing or not accepted; set a valid token`,
        };
      }
      const title = htmlTitle(facts.preview);
      return {
        retry: false,
        failure: 'not-sse',
        reason: `${where} answered ${response.contentType || 'no content type'}${title ? ` ("${title}")` : ''} instead of an event stream: check the server URL and the events path`,
      };
    }
    if (status === 204) {
      return {
        retry: false,
        failure: 'stopped-by-server',
        reason: 'the server answered 204 No Content: it asks clients to stop following this channel',
      };
    }
    if (status === 401) {
      const rejected = TOKEN_REJECTED.test(facts.preview ?? '');
      return {
        retry: false,
        failure: 'unauthorized',
        reason: rejected
          ? 'the server answered 401 and says the token is invalid or expired: set a valid token'
          : 'the server answered 401: the token is missing or wrong',
        ...(rejected ? { unambiguous: true } : {}),
      };
    }
    if (status === 403 && (facts.url.protocol === 'ws:' || facts.url.protocol === 'wss:')) {
      return {
        retry: false,
        failure: 'forbidden',
        reason:
          'the server refused the WebSocket (403): not signed in, a token it does not accept, or an Origin it does not allow',
      };
    }
    if (status === 403) {
      return {
        retry: false,
        failure: 'forbidden',
        reason: `the server answered 403: this token may not read channel ${facts.channel} (or legacy tokens are disabled for the organization: use a Personal Access Token)`,
      };
    }
    if (status === 404) {
      return {
        retry: false,
        failure: 'not-found',
        reason: `the server answered 404 for ${where}: check the server URL and the events path template`,
      };
    }
    if (status === 410) {
      return {
        retry: false,
        failure: 'gone',
        reason: `the server answered 410 Gone for ${where}: the endpoint was removed`,
      };
    }
    if (status === 408 || status === 429) {
      return {
        retry: true,
        reason: `the server answered ${status}: busy, trying again later`,
        ...(response.retryAfterMs ? { minDelayMs: response.retryAfterMs } : {}),
      };
    }
    if (status >= 500) {
      const proxy = status === 502 || status === 503 || status === 504;
      return {
        retry: true,
        reason: proxy
          ? `the proxy answered ${status}: the server behind it is down or restarting`
          : `the server answered ${status}: a server error`,
        ...(response.retryAfterMs ? { minDelayMs: response.retryAfterMs } : {}),
      };
    }
    if (status >= 300 && status < 400) {
      return {
        retry: false,
        failure: 'invalid-settings',
        reason: `the server answered a ${status} redirect that could not be followed`,
      };
    }
    if (status !== 200) {
      return {
        retry: false,
        failure: 'invalid-settings',
        reason: `the server refused the request with HTTP ${status} for ${where}`,
      };
    }
  }
  if (facts.fetchError !== undefined) {
    const error = facts.fetchError;
    const status = (error as { status?: unknown }).status;
    if ((error as Error).name === 'AuthError') {
      if (status === 401 || status === 403) {
        return { retry: false, failure: 'unauthorized', reason: (error as Error).message };
      }
      return { retry: true, reason: (error as Error).message };
    }
    const code = errorCode(error);
    const host = facts.url.host;
    if (code && TLS_CODES.has(code)) {
      return {
        retry: false,
        failure: 'invalid-settings',
        reason: `the TLS certificate of ${host} is not trusted (${code})`,
      };
    }
    if (/redirect count exceeded|too many redirects/i.test(errorMessage(error))) {
      return {
        retry: false,
        failure: 'invalid-settings',
        reason: `${where} redirects in a loop: check the server URL and the proxy`,
      };
    }
    switch (code) {
      case 'ECONNREFUSED':
        return { retry: true, reason: `${host} refused the connection: the server is down or restarting` };
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return {
          retry: true,
          reason: `the name ${facts.url.hostname} could not be resolved: offline, or a wrong server URL`,
        };
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return { retry: true, reason: `connecting to ${host} timed out` };
      case 'ECONNRESET':
      case 'UND_ERR_SOCKET':
        return { retry: true, reason: `${host} closed the connection` };
      default:
        return { retry: true, reason: `could not connect to ${host}: ${errorMessage(error)}` };
    }
  }
  if (facts.closeCode !== undefined) return classifyClose(facts.closeCode, facts.closeReason);
  if (facts.bodyError !== undefined) {
    return { retry: true, reason: `the stream broke: ${errorMessage(facts.bodyError)}` };
  }
  return { retry: true, reason: 'the server closed the stream' };
}

const AUTH_CLOSE_CODES = new Set([4001, 4003, 4401, 4403]);

/** WebSocket close codes (RFC 6455 §7.4, and the 4xxx range applications use). */
export function classifyClose(code: number, reason = ''): Verdict {
  const why = reason ? `: ${clipText(reason, 200)}` : '';
  if (AUTH_CLOSE_CODES.has(code) || code === 1008) {
    return {
      retry: false,
      failure: code === 4001 || code === 4401 ? 'unauthorized' : 'forbidden',
      reason: `the server closed the socket with code ${code} (not authorized)${why}`,
    };
  }
  switch (code) {
    case 1000:
      return { retry: true, reason: `the server closed the socket normally (1000)${why}` };
    case 1001:
      return { retry: true, reason: `the server is going away (1001)${why}` };
    case 1006:
      return { retry: true, reason: 'the connection dropped without a close frame (1006)' };
    case 1011:
      return { retry: true, reason: `the server hit an error (1011)${why}` };
    case 1012:
    case 1013:
      return { retry: true, reason: `the server is restarting or overloaded (${code})${why}` };
    default:
      return { retry: true, reason: `the socket closed with code ${code}${why}` };
  }
}
