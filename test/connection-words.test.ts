// The CLI (engine) and the window (renderer) cannot import each other: one table pins that they
// number a connection attempt the same way.
import { describe, expect, it } from 'vitest';
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
