// Rules the engine and the app each state because a lint boundary forbids the import (engine/
// depends on nothing of the app; contract/ and the window on nothing of the engine): pinned
// here, where both may be imported, so they cannot drift apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS, TRANSPORTS } from '../contract/limits.ts';
import { serverInputSchema } from '../contract/server-schema.ts';
import { DEFAULT_IDLE_REFRESH_SECONDS } from '../engine/cli/args.ts';
import { MIN_IDLE_REFRESH_SECONDS, resolveServer } from '../engine/config/server-config.ts';
import { AUTH_SCHEMES as ENGINE_AUTH_SCHEMES } from '../engine/connection/auth.ts';
import { DEFAULT_TUNING } from '../engine/connection/channel-connection.ts';
import { describeState } from '../engine/connection/channel-state.ts';
import { SettingsError } from '../engine/connection/endpoint.ts';
import { formatCountdown } from '../engine/format/duration.ts';
import { describeConnection } from '../renderer/src/format/connection-text.ts';
import { countdown } from '../renderer/src/format/time-text.ts';

describe('watch and the window agree on which attempt this is', () => {
  it.each([0, 1, 2, 7])('after %i failed attempts', (attempt) => {
    const state = { kind: 'connecting', since: 0, attempt } as const;
    const cli = /attempt (\d+)/.exec(describeState(state, 0))?.[1];
    const window = /Attempt (\d+)/.exec(describeConnection(state, 0).detail ?? '')?.[1];
    expect(window).toBe(cli);
    expect(cli).toBe(attempt === 0 ? undefined : String(attempt + 1));
  });
});

describe('watch and the window agree on when the next attempt is', () => {
  it.each([-5_000, 0, 400, 1_000, 12_000, 59_001, 65_000, 15 * 60_000 + 3_000])('%i ms before it', (ms) => {
    const state = { kind: 'reconnecting', since: 0, attempt: 1, nextAttemptAt: ms, reason: '502' } as const;
    const when = (text: string) => /^reconnecting (now|in [^:]+?)(:|$)/i.exec(text)?.[1];
    const cli = when(describeState(state, 0));
    expect(when(describeConnection(state, 0).label)).toBe(cli);
    expect(cli).toBe(ms <= 0 ? 'now' : `in ${countdown(ms)}`);
  });

  it('count down by one rule, written twice because neither may import the other', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 48 * 3_600_000 }), (ms) => {
        expect(formatCountdown(ms)).toBe(countdown(ms));
      }),
    );
  });
});

describe('the engine and the app agree on server limits', () => {
  it('on the auth schemes: the app offers the engine’s, plus automatic recognition', () => {
    expect([...AUTH_SCHEMES].sort()).toEqual(['auto', ...ENGINE_AUTH_SCHEMES].sort());
  });

  it('on the idle refresh: the same minimum, and the CLI’s default is the window’s', () => {
    expect(IDLE_REFRESH_SECONDS.min).toBe(MIN_IDLE_REFRESH_SECONDS);
    expect(IDLE_REFRESH_SECONDS.default).toBe(DEFAULT_IDLE_REFRESH_SECONDS);
  });

  it('on the idle refresh a connection gets when none is configured', () => {
    expect(DEFAULT_TUNING.idleRefreshMs).toBe(IDLE_REFRESH_SECONDS.default * 1000);
  });

  const server = {
    id: 's',
    url: 'https://ls.example.com',
    auth: { scheme: 'none' },
    channels: ['c'],
  } as const;
  const input = { name: '', url: '', eventsPath: '', taskUrl: '', channels: [], authScheme: 'auto' } as const;

  it('on the transports: the engine follows each one the window offers, and no other', () => {
    for (const transport of TRANSPORTS)
      expect(resolveServer({ ...server, transport }).transport).toBe(transport);
    expect(() => resolveServer({ ...server, transport: 'carrier-pigeon' as never })).toThrow(SettingsError);
  });

  it('on the idle refresh main accepts from the window: the engine accepts it too, and refuses below it', () => {
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
