// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { NOW } from '../test-support/fake-bridge.ts';
import { describeConnection } from './connection-text.ts';

describe('describeConnection', () => {
  it('tells open from quiet-but-healthy', () => {
    expect(describeConnection({ kind: 'open', since: NOW, awaitingHeaders: false }, NOW)).toEqual({
      tone: 'ok',
      label: 'Connected',
    });
    const quiet = describeConnection({ kind: 'open', since: NOW, awaitingHeaders: true }, NOW);
    expect(quiet.tone).toBe('quiet');
    expect(quiet.detail).toMatch(/normal/);
  });

  it('counts down to a reconnect and gives the reason', () => {
    const text = describeConnection(
      {
        kind: 'reconnecting',
        since: NOW,
        attempt: 2,
        nextAttemptAt: NOW + 12_000,
        reason: 'the server answered 502',
      },
      NOW,
    );
    expect(text).toEqual({ tone: 'warn', label: 'Reconnecting in 12 s', detail: 'the server answered 502' });
  });

  it('shows why a channel failed, and the other states', () => {
    expect(
      describeConnection(
        { kind: 'failed', since: NOW, failure: 'auth', reason: 'the token is wrong' } as never,
        NOW,
      ),
    ).toEqual({ tone: 'error', label: 'Failed', detail: 'the token is wrong' });
    expect(describeConnection({ kind: 'connecting', since: NOW, attempt: 3 }, NOW)).toEqual({
      tone: 'busy',
      label: 'Connecting…',
      detail: 'Attempt 4',
    });
    expect(describeConnection({ kind: 'paused', since: NOW }, NOW).tone).toBe('off');
  });
});
