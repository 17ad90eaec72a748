// Judges the answer to the stream request: how long the headers took (Daphne and gunicorn hold
// them back on a quiet channel), what the status means for this deployment (401 → token, 404 →
// URL or template, 502 → the server behind the proxy is down), and whether the content is an
// event stream or, say, a login page.

import { DEFAULT_EVENTS_PATH } from '../connection/endpoint.ts';
import { formatDuration } from '../format/duration.ts';
import { clipLine } from '../text/clip.ts';
import { htmlTitle, looksLikeLoginPage } from '../text/html-page.ts';
import { type DoctorCheck, skippedCheck } from './doctor-report.ts';
import {
  type ExchangeContext,
  type ExchangeOutcome,
  headerValue,
  mediaType,
  type ObservedResponse,
} from './exchange-outcome.ts';
import { findIdleCut, idleFix, wholeSeconds } from './idle-checks.ts';
import { eventsPrefix } from './redirect-checks.ts';

export const HEARTBEAT_FIX =
  'Make the stream view send a `: connected` comment as soon as a client connects, and a comment heartbeat ' +
  '(`: ping`) every 30 s while the channel is quiet.';

/** What the server said in an error body: DRF's `detail`, an HTML title, or the first line of text. */
export function serverMessage(response: ObservedResponse): string | undefined {
  if (response.body.kind !== 'document') return undefined;
  const text = response.body.text;
  const type = mediaType(response.headers);
  if (type === 'application/json' || type?.endsWith('+json')) {
    try {
      const json: unknown = JSON.parse(text);
      if (json !== null && typeof json === 'object') {
        for (const key of ['detail', 'message', 'error', 'error_description']) {
          const value = (json as Record<string, unknown>)[key];
          if (typeof value === 'string' && value.trim()) return clipLine(value, 160);
        }
      }
    } catch {
      // Not JSON after all: fall through to the raw text.
    }
  }
  if (type === 'text/html' || /^\s*<(!doctype|html)/i.test(text)) return htmlTitle(text);
  const first = text.split(/\r?\n/).find((line) => line.trim());
  return first ? clipLine(first, 160) : undefined;
}

function said(response: ObservedResponse): string {
  const message = serverMessage(response);
  if (!message) return '';
  return ` The server says: "${message}"${/[.!?]$/.test(message) ? '' : '.'}`;
}

// --- headers ---------------------------------------------------------------------------------

/** Headers slower than this (but within the wait) were probably released by an event. */
export function slowHeadersMs(waitMs: number): number {
  return Math.min(2_000, waitMs / 2);
}

export function headersCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  if (outcome.kind === 'no-headers') {
    return {
      id: 'headers',
      status: 'warn',
      title: `Headers: none within ${formatDuration(outcome.waitedMs)}: the server holds them back until the first event`,
      detail:
        `TCP connected and the request was sent, but no status line or headers arrived in ${formatDuration(outcome.waitedMs)}: ` +
        "the server holds back its headers until the first event (Daphne/gunicorn do this); Annotray handles it, but browsers' " +
        "and proxies' timeouts may not. If an event was published on this channel during the wait, the server or a proxy is stuck instead.",
      fix: HEARTBEAT_FIX,
    };
  }
  if (outcome.kind !== 'response') return skippedCheck('headers', 'the request did not reach the stream');
  const after = outcome.response.headersAfterMs;
  if (after >= slowHeadersMs(context.waitMs)) {
    return {
      id: 'headers',
      status: 'warn',
      title: `Headers: only after ${formatDuration(after)}`,
      detail:
        `The status line and headers came ${formatDuration(after)} after the request. The server probably holds back its headers ` +
        'until the first event (Daphne/gunicorn do this) and an event was published meanwhile, or it is overloaded. ' +
        "Annotray handles it, but browsers' and proxies' timeouts may not.",
      fix: HEARTBEAT_FIX,
    };
  }
  return {
    id: 'headers',
    status: 'ok',
    title: `Headers: received ${formatDuration(after)} after the request`,
    detail: '',
  };
}

// --- status ----------------------------------------------------------------------------------

function unauthorizedFix(auth: ExchangeContext['auth']): string {
  switch (auth) {
    case 'none':
      return (
        'Pass a token (--token): create a Personal Access Token in Label Studio (Account & Settings → Personal Access Token), ' +
        'or use the legacy API token shown there if your organization still allows legacy tokens.'
      );
    case 'token':
      return (
        'Check the token. If it is right, the organization may have disabled legacy tokens ' +
        '(Organization → Settings → access token settings): create a Personal Access Token and use it instead.'
      );
    case 'bearer':
      return (
        'A JWT access token expires after a few minutes. Give Annotray the Personal Access Token itself ' +
        '(the refresh token from Account & Settings): it exchanges it for access tokens on its own.'
      );
    case 'pat':
      return 'The access token obtained from the Personal Access Token was refused: the PAT may have been revoked. Create a new one.';
  }
}

function sentWith(auth: ExchangeContext['auth']): string {
  switch (auth) {
    case 'none':
      return 'The request carried no token.';
    case 'token':
      return 'The request carried a legacy API token (Authorization: Token …).';
    case 'bearer':
      return 'The request carried a Bearer token.';
    case 'pat':
      return 'The request carried an access token obtained from the Personal Access Token.';
  }
}

function failedRequest(outcome: ExchangeOutcome & { kind: 'failed' }): DoctorCheck {
  const { failure, url } = outcome;
  if (outcome.phase === 'connect') {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: no answer: could not connect to ${new URL(url).host} (${failure.code})`,
      detail: `${failure.message}${outcome.hops.length > 0 ? '\nThis host was reached through a redirect.' : ''}`,
      fix: 'Check that the server (or the host the redirect leads to) is up and reachable from this computer.',
    };
  }
  if (failure.code === 'TIMEOUT') {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: no answer within ${formatDuration(outcome.elapsedMs)}`,
      detail: `The request to ${url} was not answered in time.`,
      fix: 'Check that the server is up and not overloaded.',
    };
  }
  return {
    id: 'status',
    status: 'fail',
    title: 'Status: the connection closed without an answer',
    detail: `The request to ${url} failed after ${formatDuration(outcome.elapsedMs)}: ${failure.code}: ${failure.message}`,
    fix: 'Look in the server and proxy logs for why the request was dropped (a crash, a worker restart, or a proxy rule).',
  };
}

export function statusCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  switch (outcome.kind) {
    case 'no-headers':
      return skippedCheck('status', `no status line within ${formatDuration(outcome.waitedMs)}, see Headers`);
    case 'redirect-loop':
    case 'too-many-redirects':
    case 'bad-redirect':
      return skippedCheck('status', 'the redirects never reached the stream');
    case 'failed':
      return failedRequest(outcome);
    case 'response':
      return responseStatus(outcome.response, context);
  }
}

function responseStatus(response: ObservedResponse, context: ExchangeContext): DoctorCheck {
  const { status } = response;
  const code = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const proxy = headerValue(response.headers, 'server');
  const url = new URL(response.url);
  if (status === 200) return { id: 'status', status: 'ok', title: `Status: ${code}`, detail: '' };
  if (status === 204) {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: the server says "stop reconnecting"`,
      detail:
        'An SSE server answers 204 to tell clients not to reconnect: this channel is closed or disabled on the server.',
      fix: 'Check the channel name, and ask the server admin whether notifications are enabled for this user.',
    };
  }
  if (status === 401) {
    const challenge = headerValue(response.headers, 'www-authenticate');
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: the token is missing or wrong`,
      detail: `${sentWith(context.auth)}${said(response)}${challenge ? ` The server asks for: ${challenge}.` : ''}`,
      fix: unauthorizedFix(context.auth),
    };
  }
  if (status === 403) {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: the token was refused, or it may not read this channel`,
      detail:
        `${sentWith(context.auth)}${said(response)} Label Studio answers 403 when the credentials are missing or disabled ` +
        '(legacy tokens turned off for the organization), and a channel such as user_42 belongs to one user.',
      fix: `${unauthorizedFix(context.auth)} Also check that the channel is your own (user_<your user id>).`,
    };
  }
  if (status === 404) {
    const notes = [
      `Nothing answers at ${url.pathname} on ${url.origin}.${said(response)}`,
      context.eventsPath === DEFAULT_EVENTS_PATH
        ? `The default events path ${DEFAULT_EVENTS_PATH} was used.`
        : `The events path template is ${context.eventsPath}; the default is ${DEFAULT_EVENTS_PATH}.`,
      /\/api\/.*\/api\//.test(url.pathname)
        ? 'The URL contains /api/ twice: the server URL probably ends in /api.'
        : '',
      'Label Studio versions without the notifications app answer 404 here too.',
    ].filter(Boolean);
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: wrong server URL or events path`,
      detail: notes.join(' '),
      fix:
        'Set the server URL to the address you open Label Studio at (e.g. https://label-studio.example.com, without /api/... ' +
        `or /projects/...). If the server serves notifications under another path, set --events-path (it must contain {channel}).`,
    };
  }
  if (status === 405) {
    const allow = headerValue(response.headers, 'allow');
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: this URL is not the event stream`,
      detail: `The notification stream answers GET; this endpoint does not${allow ? ` (it allows ${allow})` : ''}.${said(response)}`,
      fix: `Check the events path: it should lead to the stream, by default ${DEFAULT_EVENTS_PATH}.`,
    };
  }
  const cut = findIdleCut({ kind: 'response', hops: [], response });
  if (cut?.kind === 'status') {
    return {
      id: 'status',
      status: 'warn',
      title: `Status: ${code} after ${wholeSeconds(cut.afterMs)} of silence: a proxy timed out the quiet stream`,
      detail:
        `The server held back its headers until a first event (normal for a quiet channel) and a proxy gave up waiting after ${wholeSeconds(cut.afterMs)}. ` +
        'The server is not down: see the idle timeout check.',
      fix: idleFix(context.eventsPath),
    };
  }
  if (status === 502 || status === 503 || status === 504) {
    const via = proxy ? `${proxy} (the proxy)` : 'a proxy';
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: the server behind the proxy is down or unreachable`,
      detail:
        `${via} answered ${status}: it could not get an answer from the application server (Daphne/uvicorn) behind it.` +
        `${said(response)} Annotray retries 5xx on its own, so a restart that takes seconds heals by itself.`,
      fix:
        "Start the application server, and check the proxy's upstream address (nginx: proxy_pass) and its error log. " +
        `A 504 after a while means the proxy times out the stream: set proxy_read_timeout 24h for ${eventsPrefix(context.eventsPath)}.`,
    };
  }
  if (status >= 500) {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code}: the server failed`,
      detail: `The server raised an error while opening the stream.${said(response)}`,
      fix: 'Look in the server log (Label Studio / Daphne) for the exception; Redis being down is a common cause.',
    };
  }
  if (status >= 300 && status < 400) {
    return {
      id: 'status',
      status: 'fail',
      title: `Status: ${code} without a usable Location`,
      detail: 'The server answered with a redirect status but did not say where to go.',
      fix: 'Fix the redirect rule on the server or proxy, or point the server URL at the real address.',
    };
  }
  return {
    id: 'status',
    status: 'fail',
    title: `Status: ${code}: expected 200`,
    detail: `The stream URL answered ${code}.${said(response)}`,
    fix: 'Check the server URL, the events path and the token; the server or proxy logs say why this status was sent.',
  };
}

// --- content type ----------------------------------------------------------------------------

export function contentTypeCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  if (outcome.kind !== 'response') return skippedCheck('content-type', 'no answer');
  if (outcome.response.status !== 200)
    return skippedCheck('content-type', `the answer was ${outcome.response.status}`);
  const { response } = outcome;
  const raw = headerValue(response.headers, 'content-type');
  const type = mediaType(response.headers);
  if (type === 'text/event-stream') {
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(raw ?? '')?.[1];
    if (charset && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
      return {
        id: 'content-type',
        status: 'warn',
        title: `Content type: text/event-stream, but charset=${charset}`,
        detail:
          'Event streams are always UTF-8; clients ignore the charset, so text in another encoding is garbled.',
        fix: 'Send the stream as UTF-8 (Content-Type: text/event-stream; charset=utf-8).',
      };
    }
    return { id: 'content-type', status: 'ok', title: `Content type: ${raw}`, detail: '' };
  }
  const body = response.body.kind === 'document' ? response.body.text : '';
  if (type === 'text/html') {
    const title = htmlTitle(body);
    const named = title ? ` titled "${title}"` : '';
    if (looksLikeLoginPage(body)) {
      return {
        id: 'content-type',
        status: 'fail',
        title: `Content type: an HTML login page${named}, not an event stream: authentication is missing`,
        detail:
          `${response.url} answered 200 with a login page. A login proxy or a login-only view answered ` +
          `before the stream: ${context.auth === 'none' ? 'no token was sent' : 'the token did not get through'}.`,
        fix: loginPageFix(context),
      };
    }
    return {
      id: 'content-type',
      status: 'fail',
      title: `Content type: an HTML page${named}, not an event stream`,
      detail:
        `${response.url} answered 200 with a web page: a login page (authentication missing), an error page of a proxy, ` +
        'or the web app itself because the URL does not lead to the stream.',
      fix: `Open ${response.url} in a browser to see the page. Check the server URL and events path; if it is a login page, pass a token and let it through the proxy.`,
    };
  }
  if (type === 'application/json' || type?.endsWith('+json')) {
    return {
      id: 'content-type',
      status: 'fail',
      title: `Content type: JSON, not an event stream`,
      detail: `${response.url} answered with JSON: the URL reaches an API endpoint, not the stream.${said(response)}`,
      fix: `Check the events path (by default ${DEFAULT_EVENTS_PATH}).`,
    };
  }
  return {
    id: 'content-type',
    status: 'fail',
    title: raw
      ? `Content type: ${raw}, not text/event-stream`
      : 'Content type: missing, expected text/event-stream',
    detail: `A stream must be sent as text/event-stream; clients refuse anything else.${said(response)}`,
    fix: 'Make the events view answer with Content-Type: text/event-stream, and check that a proxy does not rewrite it.',
  };
}

function loginPageFix(context: ExchangeContext): string {
  const path = eventsPrefix(context.eventsPath);
  return context.auth === 'none'
    ? `Pass a token (--token). If a login proxy guards the server, let requests to ${path} that carry an Authorization header through.`
    : `Exempt ${path} from the proxy's login (or let it pass requests with an Authorization header), and make sure the events view accepts token authentication.`;
}
