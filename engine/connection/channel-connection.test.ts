import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports.ts';
import { FakeClock, sequenceRandom } from '../testing/fake-clock.ts';
import { answered, fakeSubscriptions, refused } from '../testing/fake-subscription.ts';
import { Authorizer } from './auth.ts';
import { ChannelConnection, DEFAULT_TUNING } from './channel-connection.ts';
import type { ChannelState } from './channel-state.ts';

function setup(options: { idleRefreshMs?: number; auth?: Authorizer } = {}) {
  const clock = new FakeClock();
  const subs = fakeSubscriptions();
  const states: ChannelState[] = [];
  const frames: string[] = [];
  const gaps: string[] = [];
  const url = new URL('http://127.0.0.1:9/api/notifications/events/user_42');
  const connection = new ChannelConnection({
    channel: 'user_42',
    url,
    authorizer: options.auth ?? new Authorizer(url, { scheme: 'token', token: 't' }),
    clock,
    random: sequenceRandom([0.5]),
    logger: silentLogger,
    tuning: { ...DEFAULT_TUNING, idleRefreshMs: options.idleRefreshMs ?? 60_000 },
    createSubscription: subs.factory,
    events: {
      state: (s) => states.push(s),
      frame: (f) => frames.push(f.data),
      down: (at, reason) => gaps.push(`down@${at - clock.now()}:${reason}`),
      up: () => gaps.push('up'),
    },
  });
  return { clock, subs, states, frames, gaps, connection, kinds: () => states.map((s) => s.kind) };
}

describe('ChannelConnection', () => {
  it('is open once headers arrive, and delivers frames', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().open().send('{"a":1}');
    expect(t.kinds()).toEqual(['connecting', 'open']);
    expect(t.connection.state).toMatchObject({ kind: 'open', awaitingHeaders: false });
    expect(t.frames).toEqual(['{"a":1}']);
  });

  it('treats a quiet server that holds its headers back as open, not failing', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().connect();
    expect(t.connection.state.kind).toBe('connecting');
    t.clock.advance(DEFAULT_TUNING.settleMs);
    expect(t.connection.state).toMatchObject({ kind: 'open', awaitingHeaders: true });
    t.clock.advance(50_000);
    expect(t.subs.all).toHaveLength(1);
    t.subs.last().open();
    expect(t.connection.state).toMatchObject({ kind: 'open', awaitingHeaders: false });
  });

  it('reconnects with growing, jittered delays and records the outage as one gap', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().open();
    t.subs.last().end({ bodyError: new Error('terminated') });
    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const state = t.connection.state;
      if (state.kind !== 'reconnecting') throw new Error(`expected reconnecting, got ${state.kind}`);
      delays.push(state.nextAttemptAt - t.clock.now());
      t.clock.advance(state.nextAttemptAt - t.clock.now());
      t.subs.last().end(refused);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000]);
    expect(t.connection.state).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(/refused the connection/),
    });
    t.clock.advance(10_000);
    t.subs.last().open();
    expect(t.gaps).toEqual(['down@0:the stream broke: terminated', 'up']);
  });

  it("waits at least the server's retry: before coming back", () => {
    const t = setup();
    t.connection.start();
    const sub = t.subs.last().open();
    sub.send('{}', '1', 7_000);
    sub.end({ ended: true });
    const state = t.connection.state;
    expect(state.kind === 'reconnecting' && state.nextAttemptAt - t.clock.now()).toBe(7_000);
  });

  it('sends the last event id on the next attempt', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().open().send('{}', '41').send('{}', '42');
    t.subs.last().end({ ended: true });
    t.clock.advance(60_000);
    expect(t.subs.last().options.lastEventId).toBe('42');
  });

  it('resets the backoff after a connection that delivered events', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(refused);
    t.clock.advance(60_000);
    t.subs.last().end(refused);
    t.clock.advance(60_000);
    t.subs.last().open().send('{}');
    t.subs.last().end({ ended: true });
    expect(t.connection.state).toMatchObject({ kind: 'reconnecting', attempt: 0 });
  });

  it.each([
    [401, 'unauthorized', /401: the token is missing or wrong/],
    [403, 'forbidden', /Personal Access Token/],
    [404, 'not-found', /check the server URL/],
    [204, 'stopped-by-server', /204/],
  ])('stops on HTTP %i with a reason and does not retry', (status, failure, reason) => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(answered(status));
    expect(t.connection.state).toMatchObject({
      kind: 'failed',
      failure,
      reason: expect.stringMatching(reason),
    });
    t.clock.advance(3_600_000);
    expect(t.subs.all).toHaveLength(1);
  });

  it('recognises a login page behind a redirect and an HTML page instead of a stream', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(
      answered(200, 'text/html; charset=utf-8', {
        redirected: true,
        finalUrl: 'http://h/user/login/?next=/x',
      }),
    );
    expect(t.connection.state).toMatchObject({
      kind: 'failed',
      failure: 'login-page',
      reason: expect.stringMatching(/login page \(redirected to \/user\/login\/\)/),
    });
    const u = setup();
    u.connection.start();
    u.subs.last().end({ ...answered(200, 'text/html'), preview: '<html><title>Welcome to nginx!</title>' });
    expect(u.connection.state).toMatchObject({
      kind: 'failed',
      failure: 'not-sse',
      reason: expect.stringMatching(/"Welcome to nginx!"/),
    });
  });

  it('retries 5xx and proxy 502 answers, honouring Retry-After', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(answered(502, 'text/html'));
    expect(t.connection.state).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(/proxy answered 502/),
    });
    t.clock.advance(60_000);
    t.subs.last().end(answered(503, 'text/plain', { retryAfterMs: 30_000 }));
    const s = t.connection.state;
    expect(s.kind === 'reconnecting' && s.nextAttemptAt - t.clock.now()).toBe(30_000);
  });

  it('replaces a silent connection: the new one opens before the old one closes', () => {
    const t = setup({ idleRefreshMs: 60_000 });
    t.connection.start();
    const old = t.subs.last().open();
    t.clock.advance(30_000);
    old.send('{"n":1}');
    t.clock.advance(59_000);
    expect(t.subs.all).toHaveLength(1);
    t.clock.advance(1_000);
    expect(t.subs.all).toHaveLength(2);
    expect(old.closed).toBe(false);
    const fresh = t.subs.last();
    old.send('{"n":2}');
    fresh.connect();
    expect(old.closed).toBe(false);
    t.clock.advance(DEFAULT_TUNING.settleMs);
    expect(old.closed).toBe(true);
    expect(t.frames).toEqual(['{"n":1}', '{"n":2}']);
    expect(t.gaps).toEqual([]);
    expect(t.kinds()).toEqual(['connecting', 'open', 'open']);
    expect(t.connection.stats.refreshes).toBe(1);
  });

  it('keeps the old connection if its replacement fails transiently, and tries again later', () => {
    const t = setup({ idleRefreshMs: 60_000 });
    t.connection.start();
    const old = t.subs.last().open();
    t.clock.advance(60_000);
    t.subs.last().end(answered(502));
    expect(old.closed).toBe(false);
    expect(t.connection.state.kind).toBe('open');
    t.clock.advance(2_000);
    expect(t.subs.all).toHaveLength(3);
  });

  it('reconnects at once on resume when waiting, and replaces an open connection', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(refused);
    expect(t.connection.state.kind).toBe('reconnecting');
    t.connection.reconnectNow('resume');
    expect(t.subs.all).toHaveLength(2);
    const open = t.subs.last().open();
    t.connection.reconnectNow('network back');
    expect(t.subs.all).toHaveLength(3);
    expect(open.closed).toBe(false);
    t.subs.last().open();
    expect(open.closed).toBe(true);
  });

  it('exchanges a PAT again once after a 401 before giving up', async () => {
    let exchanges = 0;
    const url = new URL('http://h');
    const auth = new Authorizer(url, { scheme: 'pat', refreshToken: 'r' }, async () => {
      exchanges += 1;
      return new Response(JSON.stringify({ access: `a${exchanges}` }), { status: 200 });
    });
    const t = setup({ auth });
    t.connection.start();
    t.subs.last().end(answered(401, 'application/json'));
    expect(t.subs.all).toHaveLength(2);
    expect(t.connection.state.kind).toBe('connecting');
    t.subs.last().end(answered(401, 'application/json'));
    expect(t.connection.state).toMatchObject({ kind: 'failed', failure: 'unauthorized' });
  });

  it('pauses without retrying and records the pause as a gap', () => {
    const t = setup();
    t.connection.start();
    const sub = t.subs.last().open();
    t.connection.stop('paused by the user');
    expect(sub.closed).toBe(true);
    expect(t.connection.state.kind).toBe('paused');
    t.clock.advance(3_600_000);
    expect(t.subs.all).toHaveLength(1);
    expect(t.gaps).toEqual(['down@0:paused by the user']);
    t.connection.start();
    t.subs.last().open();
    expect(t.gaps).toEqual(['down@0:paused by the user', 'up']);
  });
});

describe('WebSocket close codes', () => {
  it.each([
    [1000, true, /normally/],
    [1001, true, /going away/],
    [1006, true, /without a close frame/],
    [1011, true, /error \(1011\)/],
    [4000, true, /code 4000/],
    [4001, false, /not authorized/],
    [4403, false, /not authorized/],
    [1008, false, /not authorized/],
  ])('code %i: retry %s', (code, retry, reason) => {
    const t = setup();
    t.connection.start();
    t.subs.last().open();
    t.subs.last().end({ closeCode: code, closeReason: '' });
    expect(t.connection.state.kind).toBe(retry ? 'reconnecting' : 'failed');
    expect('reason' in t.connection.state && t.connection.state.reason).toMatch(reason);
  });
});
