// What a web page that answered instead of an event stream is: its title, and whether it is a
// login page (by its words in any of the common languages, a password field, or a login URL).
// One home: the engine's failure reasons and the doctor judge the same page the same way.

import { clipLine } from './clip.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** `&amp;`, `&#228;`, `&#xe4;` → their characters; anything else (or out of range) stays as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (entity, name: string) => {
    const code =
      name[0] !== '#'
        ? undefined
        : name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
    if (code === undefined) return ENTITIES[name.toLowerCase()] ?? entity;
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** The text of an HTML page's <title>, entities decoded, on one line of at most 120 characters. */
export function htmlTitle(html: string | undefined): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html ?? '');
  const title = match?.[1] ? clipLine(decodeEntities(match[1]), 120) : '';
  return title || undefined;
}

const LOGIN_WORDS =
  /log\s?-?in|log\s?on|sign\s?-?in|anmelden|connexion|iniciar sesi|accedi|inloggen|zaloguj|authenticat|single sign-on|\bsso\b/i;

/** True for an HTML page that asks for credentials: login words in its title, or a password field. */
export function looksLikeLoginPage(html: string | undefined): boolean {
  const page = html ?? '';
  return LOGIN_WORDS.test(htmlTitle(page) ?? '') || /<input[^>]+type\s*=\s*["']?password/i.test(page);
}

const LOGIN_PATH =
  /(^|[/_.-])(log-?in|logon|sign-?in|sign_in|auth|authorize|sso|saml2?|oauth2?|openid|cas)([/_.-]|$)/i;
const LOGIN_HOST = /^(login|auth|sso|signin|accounts|idp|id)\./i;

/** True when a URL looks like a login page: /user/login/, /oauth2/start, sso.example.com; not /authors/. */
export function looksLikeLoginUrl(href: string): boolean {
  try {
    const url = new URL(href);
    return LOGIN_PATH.test(url.pathname) || LOGIN_HOST.test(url.hostname);
  } catch {
    return false;
  }
}
