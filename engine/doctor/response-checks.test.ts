import { describe, expect, it } from 'vitest';
import { htmlTitle, looksLikeLoginPage } from '../text/html-page.ts';
import type {
  ExchangeContext,
  ExchangeOutcome,
  ObservedResponse,
  ResponseHeaders,
} from './exchange-outcome.ts';
import { contentTypeCheck, headersCheck, serverMessage, statusCheck } from './response-checks.ts';

const STREAM = 'http://ls.example.com/api/notifications/events/user_42';
const context: ExchangeContext = {
  streamUrl: STREAM,
  eventsPath: '/api/notifications/events/{channel}',
  auth: 'none',
  waitMs: 10_000,
};

function answer(status: number, headers: ResponseHeaders, text = '', headersAfterMs = 5): ExchangeOutcome {
  const response: ObservedResponse = {
    url: STREAM,
    status,
    statusText: '',
    headers,
    headersAfterMs,
    body: { kind: 'document', text },
  };
  return { kind: 'response', hops: [], response };
}

describe('htmlTitle and looksLikeLoginPage', () => {
  it('extracts and tidies the title', () => {
    expect(htmlTitle('<html><head><TITLE data-x>\n  Sign in &amp; go &#8212; LS </TITLE>')).toBe(
      'Sign in & go — LS',
    );
    expect(htmlTitle('<p>no title</p>')).toBeUndefined();
  });

  it('recognises login pages by title or password field', () => {
    expect(looksLikeLoginPage('<title>Log in | Label Studio</title>')).toBe(true);
    expect(looksLikeLoginPage('<title>Welcome</title><form><input name=p type="password"></form>')).toBe(
      true,
    );
    expect(looksLikeLoginPage('<title>Label Studio</title>')).toBe(false);
  });
});

describe('serverMessage', () => {
  it("reads DRF's detail, an HTML title, or the first line of text", () => {
    const json = answer(401, { 'content-type': 'application/json' }, '{"detail":"Invalid token."}');
    const html = answer(502, { 'content-type': 'text/html' }, '<html><title>502 Bad Gateway</title>');
    const text = answer(500, { 'content-type': 'text/plain' }, '\nInternal error\nmore');
    const message = (outcome: ExchangeOutcome): string | undefined =>
      outcome.kind === 'response' ? serverMessage(outcome.response) : undefined;
    expect([message(json), message(html), message(text)]).toEqual([
      'Invalid token.',
      '502 Bad Gateway',
      'Internal error',
    ]);
  });
});

describe('headersCheck', () => {
  it('passes prompt headers and warns about slow or held-back ones with the heartbeat fix', () => {
    expect(headersCheck(answer(200, {}, '', 12), context)).toMatchObject({ status: 'ok' });
    const slow = headersCheck(answer(200, {}, '', 4_000), context);
    expect(slow).toMatchObject({ status: 'warn', title: 'Headers: only after 4.0 s' });
    const held = headersCheck({ kind: 'no-headers', hops: [], url: STREAM, waitedMs: 10_000 }, context);
    expect(held.status).toBe('warn');
    expect(held.title).toContain('holds them back until the first event');
    expect(held.detail).toContain('Daphne/gunicorn do this');
    expect(held.fix).toContain('`: connected` comment');
    expect(held.fix).toContain('every 30 s');
  });
});

describe('statusCheck', () => {
  it('passes 200', () => {
    expect(statusCheck(answer(200, {}), context).status).toBe('ok');
  });

  it('tailors the 401 fix to how the request authenticated', () => {
    const none = statusCheck(answer(401, { 'www-authenticate': 'Token' }), context);
    expect(none.title).toBe('Status: 401: the token is missing or wrong');
    expect(none.detail).toContain('The request carried no token. The server asks for: Token.');
    expect(none.fix).toContain('Personal Access Token');
    const legacy = statusCheck(answer(401, {}), { ...context, auth: 'token' });
    expect(legacy.fix).toContain('disabled legacy tokens');
    const bearer = statusCheck(answer(401, {}), { ...context, auth: 'bearer' });
    expect(bearer.fix).toContain('expires after a few minutes');
  });

  it('explains 403 with the server message and the channel hint', () => {
    const check = statusCheck(
      answer(
        403,
        { 'content-type': 'application/json' },
        '{"detail":"Legacy token authentication has been disabled"}',
      ),
      { ...context, auth: 'token' },
    );
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('"Legacy token authentication has been disabled"');
    expect(check.fix).toContain('user_<your user id>');
  });

  it('blames the server URL or template for 404', () => {
    const check = statusCheck(answer(404, {}), context);
    expect(check.title).toBe('Status: 404: wrong server URL or events path');
    expect(check.fix).toContain('--events-path');
    const custom = statusCheck(answer(404, {}), { ...context, eventsPath: '/sse/{channel}' });
    expect(custom.detail).toContain('The events path template is /sse/{channel}');
  });

  it('explains 204, 405 and the 5xx family', () => {
    expect(statusCheck(answer(204, {}), context).title).toContain('stop reconnecting');
    const notAllowed = statusCheck(answer(405, { allow: 'POST' }), context);
    expect(notAllowed.detail).toContain('it allows POST');
    const gateway = statusCheck(answer(502, { server: 'nginx/1.22.1' }), context);
    expect(gateway.title).toBe('Status: 502: the server behind the proxy is down or unreachable');
    expect(gateway.detail).toContain('nginx/1.22.1 (the proxy) answered 502');
    expect(gateway.fix).toContain('proxy_pass');
    expect(statusCheck(answer(500, {}), context).fix).toContain('server log');
    expect(statusCheck(answer(418, {}), context).title).toBe('Status: 418: expected 200');
  });

  it('reports failed requests and skips when there is no status to judge', () => {
    const refused = statusCheck(
      {
        kind: 'failed',
        hops: [],
        url: STREAM,
        phase: 'connect',
        failure: { code: 'ECONNREFUSED', message: 'refused' },
        elapsedMs: 1,
      },
      context,
    );
    expect(refused.title).toBe('Status: no answer: could not connect to ls.example.com (ECONNREFUSED)');
    const reset = statusCheck(
      {
        kind: 'failed',
        hops: [],
        url: STREAM,
        phase: 'request',
        failure: { code: 'ECONNRESET', message: 'socket hang up' },
        elapsedMs: 1,
      },
      context,
    );
    expect(reset.title).toBe('Status: the connection closed without an answer');
    expect(statusCheck({ kind: 'no-headers', hops: [], url: STREAM, waitedMs: 1 }, context).status).toBe(
      'skip',
    );
    expect(statusCheck({ kind: 'redirect-loop', hops: [] }, context).status).toBe('skip');
  });
});

describe('contentTypeCheck', () => {
  it('passes text/event-stream and warns about a non-UTF-8 charset', () => {
    expect(
      contentTypeCheck(answer(200, { 'content-type': 'text/event-stream; charset=utf-8' }), context).status,
    ).toBe('ok');
    const latin = contentTypeCheck(
      answer(200, { 'content-type': 'text/event-stream; charset=iso-8859-1' }),
      context,
    );
    expect(latin.status).toBe('warn');
  });

  it('names an HTML login page with its title and blames authentication', () => {
    const check = contentTypeCheck(
      answer(200, { 'content-type': 'text/html; charset=utf-8' }, '<title>Sign in | Label Studio</title>'),
      context,
    );
    expect(check.status).toBe('fail');
    expect(check.title).toBe(
      'Content type: an HTML login page titled "Sign in | Label Studio", not an event stream: authentication is missing',
    );
    expect(check.fix).toContain('--token');
  });

  it('names other HTML pages, JSON and missing types', () => {
    const page = contentTypeCheck(
      answer(200, { 'content-type': 'text/html' }, '<title>Label Studio</title>'),
      context,
    );
    expect(page.title).toBe('Content type: an HTML page titled "Label Studio", not an event stream');
    const json = contentTypeCheck(
      answer(200, { 'content-type': 'application/json' }, '{"message":"hi"}'),
      context,
    );
    expect(json.title).toBe('Content type: JSON, not an event stream');
    expect(json.detail).toContain('"hi"');
    expect(contentTypeCheck(answer(200, {}), context).title).toBe(
      'Content type: missing, expected text/event-stream',
    );
    expect(contentTypeCheck(answer(200, { 'content-type': 'text/plain' }), context).title).toBe(
      'Content type: text/plain, not text/event-stream',
    );
  });

  it('is skipped without a 200 answer', () => {
    expect(contentTypeCheck(answer(401, { 'content-type': 'text/html' }), context).status).toBe('skip');
  });
});
