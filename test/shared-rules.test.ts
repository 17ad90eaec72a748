// Rules the engine and the app each state because a lint boundary forbids the import (engine/
// depends on nothing of the app; contract/ and the window on nothing of the engine): pinned
// here, where both may be imported, so they cannot drift apart.
import { describe, expect, it } from 'vitest';
import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS } from '../contract/limits.ts';
import { DEFAULT_IDLE_REFRESH_SECONDS } from '../engine/cli/args.ts';
import { MIN_IDLE_REFRESH_SECONDS } from '../engine/config/server-config.ts';
import { AUTH_SCHEMES as ENGINE_AUTH_SCHEMES } from '../engine/connection/auth.ts';
import { describeState } from '../engine/connection/channel-state.ts';
import { describeConnection } from '../renderer/src/format/connection-text.ts';

describe('watch and the window agree on which attempt this is', () => {
  it.each([0, 1, 2, 7])('after %i failed attempts', (attempt) => {
    const state = { kind: 'connecting', since: 0, attempt } as const;
    const cli = /attempt (\d+)/.exec(describeState(state, 0))?.[1];
    const window = /Attempt (\d+)/.exec(describeConnection(state, 0).detail ?? '')?.[1];
    expect(window).toBe(cli);
    expect(cli).toBe(attempt === 0 ? undefined : String(attempt + 1));
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
});
