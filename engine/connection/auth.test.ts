import { describe, expect, it } from 'vitest';
import { AuthError, Authorizer, configuredToken, tokenRefreshUrl } from './auth.ts';

describe('tokenRefreshUrl', () => {
  it('puts the exchange below the server URL, a path prefix included', () => {
    expect(tokenRefreshUrl(new URL('https://ls.example.com')).href).toBe(
      'https://ls.example.com/api/token/refresh/',
    );
    expect(tokenRefreshUrl(new URL('https://example.com/label-studio/')).href).toBe(
      'https://example.com/label-studio/api/token/refresh/',
    );
    expect(tokenRefreshUrl(new URL('https://example.com/ls'), '/auth/refresh').pathname).toBe(
      '/ls/auth/refresh',
    );
  });
});

describe('configuredToken', () => {
  it('is the token of every scheme, the refresh token of a PAT, and nothing without a token', () => {
    expect(configuredToken({ scheme: 'none' })).toBeUndefined();
    expect(configuredToken({ scheme: 'token', token: 'legacy-1' })).toBe('legacy-1');
    expect(configuredToken({ scheme: 'bearer', token: 'access-2' })).toBe('access-2');
    expect(configuredToken({ scheme: 'pat', refreshToken: 'refresh-3' })).toBe('refresh-3');
  });
});

describe('Authorizer', () => {
  it('exchanges a Personal Access Token where tokenRefreshUrl says, once, until invalidated', async () => {
    const asked: string[] = [];
    const authorizer = new Authorizer(
      new URL('https://example.com/label-studio/'),
      { scheme: 'pat', refreshToken: 'refresh-1' },
      async (input, init) => {
        asked.push(`${init?.method} ${String(input)} ${String(init?.body)}`);
        return Response.json({ access: `access-${asked.length}` });
      },
    );
    expect(await authorizer.header()).toBe('Bearer access-1');
    expect(await authorizer.header()).toBe('Bearer access-1');
    authorizer.invalidate();
    expect(await authorizer.header()).toBe('Bearer access-2');
    expect(asked).toEqual([
      'POST https://example.com/label-studio/api/token/refresh/ {"refresh":"refresh-1"}',
      'POST https://example.com/label-studio/api/token/refresh/ {"refresh":"refresh-1"}',
    ]);
  });

  it('says why an exchange was refused, with the status for the caller to switch on', async () => {
    const authorizer = new Authorizer(
      new URL('https://ls.example.com'),
      { scheme: 'pat', refreshToken: 'revoked' },
      async () => Response.json({ detail: 'Token is invalid' }, { status: 401 }),
    );
    const error = await authorizer.header().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, message: expect.stringMatching(/wrong, expired or revoked/) });
  });
});
