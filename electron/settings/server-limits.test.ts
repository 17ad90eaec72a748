// The engine and the window each state a server's choices and limits (engine/ may not import
// contract/, the window may not import engine/); this is where the two are held together.

import { describe, expect, it } from 'vitest';
import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS, TRANSPORTS } from '../../contract/server-limits.ts';
import { serverInputSchema } from '../../contract/server-schema.ts';
import {
  AUTH_SCHEME_CHOICES,
  DEFAULT_IDLE_REFRESH_SECONDS,
  TRANSPORTS as ENGINE_TRANSPORTS,
  MIN_IDLE_REFRESH_SECONDS,
  resolveServer,
} from '../../engine/config/server-config.ts';
import { authFromToken } from '../../engine/connection/auth.ts';
import { DEFAULT_TUNING } from '../../engine/connection/channel-connection.ts';
import { SettingsError } from '../../engine/connection/endpoint.ts';

describe('the server limits the window and main share with the engine', () => {
  it('offer the same authentication schemes and transports', () => {
    expect([...AUTH_SCHEMES]).toEqual([...AUTH_SCHEME_CHOICES]);
    expect([...TRANSPORTS]).toEqual([...ENGINE_TRANSPORTS]);
    for (const scheme of AUTH_SCHEMES.filter((s) => s !== 'auto'))
      expect(authFromToken('a-token-of-some-length', scheme).scheme).toBe(scheme);
  });

  it('give a new server the idle refresh the CLI starts with', () => {
    expect(IDLE_REFRESH_SECONDS.default).toBe(DEFAULT_IDLE_REFRESH_SECONDS);
    // …and a connection given none (engine/connection keeps its own tuning default).
    expect(DEFAULT_TUNING.idleRefreshMs).toBe(DEFAULT_IDLE_REFRESH_SECONDS * 1000);
  });

  it('accept in the form exactly the idle refresh the engine accepts', () => {
    expect(IDLE_REFRESH_SECONDS.min).toBe(MIN_IDLE_REFRESH_SECONDS);
    const server = {
      id: 's',
      url: 'https://ls.example.com',
      auth: { scheme: 'none' },
      channels: ['c'],
    } as const;
    const input = {
      name: '',
      url: '',
      eventsPath: '',
      taskUrl: '',
      channels: [],
      authScheme: 'auto',
    } as const;
    for (const seconds of [
      IDLE_REFRESH_SECONDS.min,
      IDLE_REFRESH_SECONDS.default,
      IDLE_REFRESH_SECONDS.max,
    ]) {
      expect(serverInputSchema.safeParse({ ...input, idleRefreshSeconds: seconds }).success).toBe(true);
      expect(resolveServer({ ...server, idleRefreshSeconds: seconds }).idleRefreshMs).toBe(seconds * 1000);
    }
    const below = IDLE_REFRESH_SECONDS.min - 1;
    expect(serverInputSchema.safeParse({ ...input, idleRefreshSeconds: below }).success).toBe(false);
    expect(() => resolveServer({ ...server, idleRefreshSeconds: below })).toThrow(SettingsError);
  });
});
