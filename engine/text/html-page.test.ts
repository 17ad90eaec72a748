import { describe, expect, it } from 'vitest';
import { classifyAttempt } from '../connection/failure.ts';
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
  });

  it('sees a password field as a login page whatever the title', () => {
    expect(looksLikeLoginPage(page('Portal', '<input name="p" type="password">'))).toBe(true);
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
