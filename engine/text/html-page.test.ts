import { describe, expect, it } from 'vitest';
import { classifyAttempt } from '../connection/failure.ts';
import type { ExchangeContext, ExchangeOutcome } from '../doctor/exchange-outcome.ts';
import { redirectsCheck } from '../doctor/redirect-checks.ts';
import { contentTypeCheck } from '../doctor/response-checks.ts';
import { clipLine } from './clip.ts';
import { decodeEntities, htmlTitle, looksLikeLoginPage, looksLikeLoginUrl } from './html-page.ts';

const page = (title: string, body = '') =>
  `<html><head><title>${title}</title></head><body>${body}</body></html>`;

/** What the engine says about a 200 text/html answer (the doctor uses the same functions). */
function engineFailure(html: string, finalUrl = 'https://ls.example.com/api/notifications/events/user_42') {
  const verdict = classifyAttempt({
    url: new URL('https://ls.example.com/api/notifications/events/user_42'),
    channel: 'user_42',
    response: { status: 200, contentType: 'text/html', redirected: !finalUrl.includes('/events/'), finalUrl },
    preview: html,
  });
  return 'failure' in verdict ? verdict.failure : 'retry';
}

const STREAM = 'https://ls.example.com/api/notifications/events/user_42';
const doctorContext: ExchangeContext = {
  streamUrl: STREAM,
  eventsPath: '/api/notifications/events/{channel}',
  auth: 'none',
  waitMs: 10_000,
};

/** What the doctor says about the same answer, reached directly or after one redirect to `finalUrl`. */
function doctorSaysLogin(html: string, finalUrl = STREAM): boolean {
  const outcome: ExchangeOutcome = {
    kind: 'response',
    hops: finalUrl === STREAM ? [] : [{ from: STREAM, status: 302, location: finalUrl }],
    response: {
      url: finalUrl,
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/html' },
      headersAfterMs: 1,
      body: { kind: 'document', text: html },
    },
  };
  const checks = [contentTypeCheck(outcome, doctorContext), redirectsCheck(outcome, doctorContext)];
  return checks.some((check) => check.status === 'fail' && /login page/.test(check.title));
}

describe('one rule for a web page instead of a stream', () => {
  it.each([
    ['Log in | Label Studio', true],
    ['Anmelden – Firmenportal', true],
    ['Connexion', true],
    ['Iniciar sesión', true],
    ['Sign-in required', true],
    ['Authors', false],
    ['502 Bad Gateway', false],
  ])('calls a page titled %j a login page: %s, in the engine and the doctor alike', (title, login) => {
    expect(looksLikeLoginPage(page(title))).toBe(login);
    expect(engineFailure(page(title)) === 'login-page').toBe(login);
    expect(doctorSaysLogin(page(title))).toBe(login);
  });

  it('sees a password field as a login page whatever the title', () => {
    const form = page('Portal', '<input name="p" type="password">');
    expect(looksLikeLoginPage(form)).toBe(true);
    expect(engineFailure(form)).toBe('login-page');
    expect(doctorSaysLogin(form)).toBe(true);
  });

  it.each([
    ['https://ls.example.com/user/login/?next=/api', true],
    ['https://sso.example.com/start', true],
    ['https://ls.example.com/oauth2/start', true],
    ['https://ls.example.com/authors/list', false],
    ['https://ls.example.com/author/7', false],
  ])('calls a redirect to %s a login URL: %s, in the engine and the doctor alike', (url, login) => {
    expect(looksLikeLoginUrl(url)).toBe(login);
    expect(engineFailure(page('Portal'), url) === 'login-page').toBe(login);
    expect(doctorSaysLogin(page('Portal'), url)).toBe(login);
  });

  it('reads a title with entities and odd spacing, and leaves an impossible entity as written', () => {
    expect(htmlTitle('<title>\n  Caf&eacute; &amp; &#228;&#xE4;  </title>')).toBe('Caf&eacute; & ää');
    expect(decodeEntities('&#99999999; &#x110000;')).toBe('&#99999999; &#x110000;');
    expect(htmlTitle('<p>no title</p>')).toBeUndefined();
    expect(htmlTitle('<title> \n </title>')).toBeUndefined();
  });

  it('clips a long title by the one clipping rule: 120 characters, emoji counted as one', () => {
    const emoji = '😀'.repeat(61);
    expect(htmlTitle(`<title>${emoji}</title>`)).toBe(emoji);
    expect(htmlTitle(`<title>${'x'.repeat(300)}</title>`)).toBe(clipLine('x'.repeat(300), 120));
    expect(Array.from(htmlTitle(`<title>${'😀'.repeat(300)}</title>`) ?? '')).toHaveLength(120);
  });
});
