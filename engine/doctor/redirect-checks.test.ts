import { describe, expect, it } from 'vitest';
import { looksLikeLoginUrl } from '../text/html-page.ts';
import type { ExchangeContext, RedirectHop } from './exchange-outcome.ts';
import { decideRedirect, eventsPrefix, MAX_REDIRECTS, redirectsCheck } from './redirect-checks.ts';

const STREAM = 'http://ls.example.com/api/notifications/events/user_42';
const context: ExchangeContext = {
  streamUrl: STREAM,
  eventsPath: '/api/notifications/events/{channel}',
  auth: 'none',
  waitMs: 10_000,
};

describe('decideRedirect', () => {
  const current = new URL(STREAM);

  it('follows a relative location, resolved against the current URL', () => {
    const decision = decideRedirect(current, '/user/login/?next=/x#top', new Set([STREAM]), 1);
    expect(decision).toEqual({ kind: 'follow', url: new URL('http://ls.example.com/user/login/?next=/x') });
  });

  it('detects a loop back to a visited URL', () => {
    expect(decideRedirect(current, STREAM, new Set([STREAM]), 1).kind).toBe('loop');
  });

  it(`stops after ${MAX_REDIRECTS} redirects`, () => {
    expect(decideRedirect(current, '/a', new Set(), MAX_REDIRECTS).kind).toBe('follow');
    expect(decideRedirect(current, '/a', new Set(), MAX_REDIRECTS + 1).kind).toBe('too-many');
  });

  it('refuses locations that are not http(s)', () => {
    expect(decideRedirect(current, 'javascript:alert(1)', new Set(), 1)).toEqual({
      kind: 'bad-location',
      location: 'javascript:alert(1)',
    });
    expect(decideRedirect(current, 'http://[bad', new Set(), 1).kind).toBe('bad-location');
  });
});

describe('looksLikeLoginUrl', () => {
  it.each([
    'http://ls/user/login/?next=/api',
    'http://ls/accounts/login/',
    'https://ls/oauth2/start?rd=/api',
    'https://sso.example.com/realms/x',
    'https://ls/auth/realms/x/protocol/openid-connect/auth',
    'https://ls/signin',
  ])('recognises %s', (href) => {
    expect(looksLikeLoginUrl(href)).toBe(true);
  });

  it.each([
    'http://ls/api/notifications/events/user_42/',
    'https://ls.example.com/api/v2/stream',
    'not a url',
  ])('does not flag %s', (href) => {
    expect(looksLikeLoginUrl(href)).toBe(false);
  });
});

describe('eventsPrefix', () => {
  it('is the template up to the channel', () => {
    expect(eventsPrefix('/api/notifications/events/{channel}')).toBe('/api/notifications/events/');
  });
});

describe('redirectsCheck', () => {
  const hop = (from: string, location: string, status = 302): RedirectHop => ({ from, status, location });

  it('passes when there is no redirect', () => {
    expect(redirectsCheck({ kind: 'no-headers', hops: [], url: STREAM, waitedMs: 1 }, context)).toMatchObject(
      {
        status: 'ok',
        title: 'Redirects: none',
      },
    );
  });

  it('blames missing authentication for a redirect to a login page', () => {
    const hops = [hop(STREAM, 'http://ls.example.com/user/login/?next=/api/notifications/events/user_42')];
    const check = redirectsCheck(
      {
        kind: 'response',
        hops,
        response: {
          url: '',
          status: 200,
          statusText: '',
          headers: {},
          headersAfterMs: 1,
          body: { kind: 'document', text: '' },
        },
      },
      context,
    );
    expect(check.status).toBe('fail');
    expect(check.title).toBe('Redirects: sent to a login page: authentication is missing');
    expect(check.detail).toContain('without a token');
    expect(check.fix).toContain('--token');
    const withToken = redirectsCheck({ kind: 'redirect-loop', hops: [] }, { ...context, auth: 'token' });
    expect(withToken.title).toBe('Redirects: a redirect loop');
  });

  it('says a login redirect with a token means the token does not get through', () => {
    const hops = [hop(STREAM, 'https://sso.example.com/login')];
    const check = redirectsCheck(
      { kind: 'no-headers', hops, url: '', waitedMs: 1 },
      { ...context, auth: 'token' },
    );
    expect(check.fix).toContain('The token did not get through');
  });

  it('shows the chain of a loop and of too many redirects', () => {
    const loop = redirectsCheck(
      {
        kind: 'redirect-loop',
        hops: [hop(STREAM, 'http://ls.example.com/a'), hop('http://ls.example.com/a', STREAM)],
      },
      context,
    );
    expect(loop.status).toBe('fail');
    expect(loop.detail.split('\n').slice(0, 3)).toEqual([
      STREAM,
      '→ 302 http://ls.example.com/a',
      `→ 302 ${STREAM}`,
    ]);
    expect(loop.detail).toContain('without cookies');
    const many = redirectsCheck({ kind: 'too-many-redirects', hops: [hop(STREAM, '/b')] }, context);
    expect(many.title).toBe(`Redirects: more than ${MAX_REDIRECTS} redirects, stopped`);
  });

  it('warns about http → https, other origins and trailing slashes, with the URL to use', () => {
    const https = redirectsCheck(
      {
        kind: 'no-headers',
        hops: [hop(STREAM, STREAM.replace('http:', 'https:'), 301)],
        url: '',
        waitedMs: 1,
      },
      { ...context, auth: 'token' },
    );
    expect(https.status).toBe('warn');
    expect(https.detail).toContain('The token was sent unencrypted');
    expect(https.fix).toBe('Use https://ls.example.com as the server URL.');

    const other = redirectsCheck(
      {
        kind: 'no-headers',
        hops: [hop(STREAM, 'http://new.example.com/api/notifications/events/user_42')],
        url: '',
        waitedMs: 1,
      },
      context,
    );
    expect(other.detail).toContain('does not send the token to another origin');

    const slash = redirectsCheck(
      { kind: 'no-headers', hops: [hop(STREAM, `${STREAM}/`, 301)], url: '', waitedMs: 1 },
      context,
    );
    expect(slash.fix).toBe(
      'Set the events path to /api/notifications/events/{channel}/ so the first request reaches the stream.',
    );
  });
});
