import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports.ts';
import { FakeClock, sequenceRandom } from '../testing/fake-clock.ts';
import { answered, fakeSubscriptions, refused } from '../testing/fake-subscription.ts';
import { Authorizer } from './auth.ts';
import { ChannelConnection, DEFAULT_TUNING } from './channel-connection.ts';
import type { ChannelState } from './channel-state.ts';

function setup(
  options: {
    idleRefreshMs?: number;
    auth?: Authorizer;
    random?: number[];
    isNew?: (data: string) => boolean;
  } = {},
) {
  const clock = new FakeClock();
  const subs = fakeSubscriptions();
  const states: ChannelState[] = [];
  const frames: string[] = [];
  const gaps: string[] = [];
  const advice: string[] = [];
  const url = new URL('http://127.0.0.1:9/api/notifications/events/user_42');
  const connection = new ChannelConnection({
    channel: 'user_42',
    url,
    authorizer: options.auth ?? new Authorizer(url, { scheme: 'token', token: 't' }),
    clock,
    random: sequenceRandom(options.random ?? [0.5]),
    logger: silentLogger,
    tuning: { ...DEFAULT_TUNING, idleRefreshMs: options.idleRefreshMs ?? 60_000 },
    createSubscription: subs.factory,
    events: {
      state: (s) => states.push(s),
      frame: (f) => {
        frames.push(f.data);
        return options.isNew?.(f.data) ?? true;
      },
      down: (at, reason, cause) =>
        gaps.push(`down@${at - clock.now()}:${reason}${cause ? ` [${cause}]` : ''}`),
      up: () => gaps.push('up'),
      advice: (text) => advice.push(text),
    },
  });
  return { clock, subs, states, frames, gaps, advice, connection, kinds: () => states.map((s) => s.kind) };
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

  it("waits at least the server's retry: before coming back, spread up to a quarter above it", () => {
    const waits = [0, 0.5, 0.999].map((r) => {
      const t = setup({ random: [r] });
      t.connection.start();
      const sub = t.subs.last().open();
      sub.send('{}', '1', 7_000);
      sub.end({ ended: true });
      const state = t.connection.state;
      return state.kind === 'reconnecting' && state.nextAttemptAt - t.clock.now();
    });
    expect(waits).toEqual([7_000, 7_875, 8_748]);
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

  it('retries 5xx and proxy 502 answers, honouring Retry-After as a floor', () => {
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
    // The floor is Retry-After; sequenceRandom's 0.5 spreads it by half of a quarter.
    expect(s.kind === 'reconnecting' && s.nextAttemptAt - t.clock.now()).toBe(33_750);
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

describe('behind a proxy that closes quiet streams', () => {
  /** Runs `cuts` idle cuts of a quiet (headers held back) server every `everyMs`; returns each re-subscribe delay. */
  function cutRepeatedly(t: ReturnType<typeof setup>, cuts: number, everyMs: number, end: () => object) {
    const delays: number[] = [];
    for (let i = 0; i < cuts; i += 1) {
      t.subs.last().connect();
      t.clock.advance(everyMs);
      t.subs.last().end(end());
      const state = t.connection.state;
      if (state.kind !== 'reconnecting') throw new Error(`expected reconnecting, got ${state.kind}`);
      delays.push(state.nextAttemptAt - t.clock.now());
      t.clock.advance(state.nextAttemptAt - t.clock.now());
    }
    return delays;
  }

  it.each([
    ['a 504 from nginx', () => answered(504, 'text/html')],
    ['a 524 from Cloudflare', () => answered(524, 'text/html')],
    ['a stream closed after silence', () => ({ ended: true })],
    ['a socket reset before any answer', () => ({ fetchError: new TypeError('other side closed') })],
  ])('re-subscribes within a second after %s, every time, without growing the backoff', (_, end) => {
    const t = setup({ random: [0.9] });
    t.connection.start();
    const delays = cutRepeatedly(t, 30, 60_000, end);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1_000);
    expect(new Set(delays).size).toBe(1);
    expect(t.connection.state).toMatchObject({ kind: 'connecting', attempt: 0 });
    expect(t.subs.all).toHaveLength(31);
  });

  it('says the proxy closed the quiet stream, not that the server is down', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().connect();
    t.clock.advance(60_000);
    t.subs.last().end(answered(504, 'text/html'));
    const state = t.connection.state;
    expect(state.kind === 'reconnecting' && state.reason).toMatch(
      /proxy answered 504 Gateway Timeout after 60 s of silence: it closes quiet streams/,
    );
    expect(state.kind === 'reconnecting' && state.reason).not.toMatch(/down|restarting/);
    expect(t.gaps[0]).toMatch(/\[idle-cut\]$/);
  });

  it('holds for idle timeouts from a few seconds to a few minutes', () => {
    for (const everyMs of [3_000, 60_000, 125_000, 300_000 - 1]) {
      const t = setup({ idleRefreshMs: 300_000 });
      t.connection.start();
      const delays = cutRepeatedly(t, 5, everyMs, () => answered(504));
      expect(Math.max(...delays)).toBeLessThanOrEqual(1_000);
    }
  });

  it('tells the admin once, with the fix, when cuts come at a steady cadence', () => {
    const t = setup();
    t.connection.start();
    cutRepeatedly(t, 2, 60_000, () => answered(504));
    expect(t.advice).toEqual([]);
    cutRepeatedly(t, 20, 60_000, () => answered(504));
    expect(t.advice).toHaveLength(1);
    expect(t.advice[0]).toMatch(/about every 60 s.*proxy_read_timeout.*idle timeout.*: ping/);
    expect(t.connection.advice).toBe(t.advice[0]);
  });

  it('counts the first cut of a server that really died as a cut, then backs off when it refuses', () => {
    const t = setup();
    t.connection.start();
    cutRepeatedly(t, 1, 60_000, () => ({ bodyError: new Error('terminated') }));
    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      t.subs.last().end(refused);
      const state = t.connection.state;
      if (state.kind !== 'reconnecting') throw new Error('expected reconnecting');
      delays.push(state.nextAttemptAt - t.clock.now());
      t.clock.advance(state.nextAttemptAt - t.clock.now());
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('subscribes again sooner after a cut: the same server has just accepted the channel', () => {
    const t = setup();
    t.connection.start();
    cutRepeatedly(t, 1, 60_000, () => answered(504));
    t.subs.last().connect();
    t.clock.advance(250);
    expect(t.connection.state).toMatchObject({ kind: 'open', awaitingHeaders: true });
    expect(t.gaps.at(-1)).toBe('up');
  });
});

describe('reconnect storms', () => {
  it('keeps growing the backoff for a server that replays the same history and drops at once', () => {
    const seen = new Set<string>();
    const t = setup({ random: [0.5], isNew: (data) => !seen.has(data) && Boolean(seen.add(data)) });
    t.connection.start();
    const started = t.clock.now();
    while (t.clock.now() - started < 10 * 60_000) {
      const sub = t.subs.last().open();
      sub.send('{"n":1}', '1').send('{"n":2}', '2');
      sub.end({ ended: true });
      const state = t.connection.state;
      if (state.kind !== 'reconnecting') throw new Error('expected reconnecting');
      t.clock.advance(state.nextAttemptAt - t.clock.now());
    }
    const lastMinute = t.subs.all.filter((s) => (s.connectedAt ?? 0) >= t.clock.now() - 60_000);
    expect(lastMinute.length).toBeLessThanOrEqual(3);
    expect(t.connection.state.kind).toBe('connecting');
  });

  it.each([
    [
      'answers 200 and closes with no bytes',
      (sub: ReturnType<ReturnType<typeof setup>['subs']['last']>) => {
        sub.open().end({ ended: true });
      },
    ],
    [
      'sends retry: 0 and closes',
      (sub: ReturnType<ReturnType<typeof setup>['subs']['last']>) => {
        sub.open();
        sub.retry.feed('retry: 0\n');
        sub.end({ ended: true });
      },
    ],
  ])('contacts a server that %s a few times a minute at most once the backoff has grown', (_, drop) => {
    const t = setup({ random: [0.5] });
    t.connection.start();
    for (let i = 0; i < 30; i += 1) {
      drop(t.subs.last());
      const state = t.connection.state;
      if (state.kind !== 'reconnecting') throw new Error('expected reconnecting');
      t.clock.advance(state.nextAttemptAt - t.clock.now());
    }
    const lastMinute = t.subs.all.filter((s) => (s.connectedAt ?? 0) >= t.clock.now() - 60_000);
    expect(lastMinute.length).toBeLessThanOrEqual(3);
  });

  it('resets the backoff for a connection that stayed subscribed, even without events', () => {
    const t = setup();
    t.connection.start();
    t.subs.last().end(refused);
    t.clock.advance(60_000);
    t.subs.last().end(refused);
    t.clock.advance(60_000);
    t.subs.last().connect();
    t.clock.advance(DEFAULT_TUNING.settleMs + DEFAULT_TUNING.stableMs);
    t.subs.last().end(refused);
    expect(t.connection.state).toMatchObject({ kind: 'reconnecting', attempt: 0 });
  });
});

describe('a refusal after the channel has been working', () => {
  function working() {
    const t = setup({ idleRefreshMs: 2 * 3_600_000 });
    t.connection.start();
    t.subs.last().open().send('{"n":1}');
    t.clock.advance(3_600_000);
    return t;
  }

  it.each([
    [404, 'not-found'],
    [403, 'forbidden'],
    [401, 'unauthorized'],
  ])('retries a %i three times with backoff before stopping', (status, failure) => {
    const t = working();
    const kinds: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      t.subs.last().end(answered(status, 'application/json'));
      kinds.push(t.connection.state.kind);
      const state = t.connection.state;
      if (state.kind === 'reconnecting') t.clock.advance(state.nextAttemptAt - t.clock.now());
    }
    expect(kinds).toEqual(['reconnecting', 'reconnecting', 'reconnecting', 'failed']);
    expect(t.connection.state).toMatchObject({ kind: 'failed', failure });
  });

  it('says why it is retrying what would stop a new channel', () => {
    const t = working();
    t.subs.last().end(answered(404));
    const state = t.connection.state;
    expect(state.kind === 'reconnecting' && state.reason).toMatch(
      /404.*this channel was working: trying again, 1 of 3, before stopping/,
    );
  });

  it('recovers without stopping when the server comes back during its deploy', () => {
    const t = working();
    t.subs.last().end(answered(404));
    t.clock.advance(60_000);
    t.subs.last().open();
    t.subs.last().end(answered(404));
    t.clock.advance(60_000);
    t.subs.last().open();
    expect(t.connection.state.kind).toBe('open');
  });

  it('stops at once on a 401 whose body says the token is invalid', () => {
    const t = working();
    t.subs.last().end({ ...answered(401, 'application/json'), preview: '{"detail":"Invalid token."}' });
    expect(t.connection.state).toMatchObject({
      kind: 'failed',
      failure: 'unauthorized',
      reason: expect.stringMatching(/says the token is invalid/),
    });
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
