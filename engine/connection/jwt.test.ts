import { describe, expect, it } from 'vitest';
import { authFromToken } from './auth.ts';
import { jwtClaims, jwtExpiresAt } from './jwt.ts';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;

describe('one reader of a JWT for the engine and the doctor', () => {
  it('reads the claims and the expiry of a JWT', () => {
    const token = jwt({ token_type: 'refresh', exp: 1_800_000_000, user_id: 7 });
    expect(jwtClaims(token)).toEqual({ token_type: 'refresh', exp: 1_800_000_000, user_id: 7 });
    expect(jwtExpiresAt(token)).toBe(1_800_000_000_000);
    expect(jwtExpiresAt(jwt({ token_type: 'access' }))).toBeUndefined();
    expect(jwtExpiresAt(jwt({ exp: 'soon' }))).toBeUndefined();
  });

  // Each of these is "not a JWT" to both: the engine sends it as a legacy token, the doctor
  // reports no expiry.
  it.each([
    ['a legacy token', 'c0ffee0123456789abcdef0123456789abcdef01'],
    ['two parts', `${part({})}.${part({ exp: 1 })}`],
    ['an empty claims part', `${part({})}..sig`],
    ['claims that are not JSON', `${part({})}.bm90IGpzb24.sig`],
    ['claims that are an array', jwt([{ token_type: 'refresh' }])],
    ['claims that are null', jwt(null)],
    ['claims that are a number', jwt(1_800_000_000)],
  ])('%s is not a JWT', (_name, token) => {
    expect(jwtClaims(token)).toBeUndefined();
    expect(jwtExpiresAt(token)).toBeUndefined();
    expect(authFromToken(token)).toEqual({ scheme: 'token', token });
  });

  it('sends a refresh JWT through the PAT exchange and any other JWT as Bearer', () => {
    const refresh = jwt({ token_type: 'refresh' });
    const access = jwt({ token_type: 'access', exp: 1 });
    expect(authFromToken(`Token ${refresh}`)).toEqual({ scheme: 'pat', refreshToken: refresh });
    expect(authFromToken(access)).toEqual({ scheme: 'bearer', token: access });
  });
});
