import { describe, expect, it } from 'vitest';
import { Engine } from './engine.ts';
import type { HistoryLimits, HistorySnapshot } from './history/channel-history.ts';
import type { NotificationIntent } from './policy/notification-intent.ts';
import { DEFAULT_PREFERENCES } from './policy/preferences.ts';
import type { HistoryStore } from './ports.ts';
import { FakeClock, sequenceRandom } from './testing/fake-clock.ts';
import { type FakeSubscription, fakeSubscriptions, refused } from './testing/fake-subscription.ts';

class MemoryStore implements HistoryStore {
  readonly files = new Map<string, HistorySnapshot>();
  async load(key: string) {
    return this.files.get(key);
  }
  async save(key: string, snapshot: HistorySnapshot) {
    this.files.set(key, structuredClone(snapshot));
  }
}

const payload = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_type: 'ocr.task.assigned',
    subject: 'New OCR Task Assigned',
    message: `doc ${n}`,
    task_id: n,
    project_id: 1,
    message_time: `2026-11-23T10:00:0${n % 10}.000001`,
    ...extra,
  });

function setup(channels = ['user_42'], store?: HistoryStore, historyLimits?: HistoryLimits) {
  const clock = new FakeClock();
  const subs = fakeSubscriptions();
  const notes: NotificationIntent[] = [];
  const engine = new Engine({
    servers: [
      { id: 'ls', url: 'http://127.0.0.1:8080', auth: { scheme: 'token', token: 'secret' }, channels },
    ],
    notifier: { notify: (n) => notes.push(n) },
    preferences: { ...DEFAULT_PREFERENCES, maxIndividual: 100 },
    clock,
    random: sequenceRandom([0.5]),
    createSubscription: subs.factory,
    ...(store ? { historyStore: store } : {}),
    ...(historyLimits ? { historyLimits } : {}),
  });
  return { clock, subs, notes, engine };
}

describe('Engine', () => {
  it('validates every server before connecting anything', () => {
    expect(
      () =>
        new Engine({
          servers: [{ id: 'x', url: 'ftp://nope', auth: { scheme: 'none' }, channels: ['a'] }],
          notifier: { notify() {} },
        }),
    ).toThrow(/http/);
  });

  it('stores and notifies an event once, even when a replay or a second channel repeats it', () => {
    const t = setup(['user_42', 'team_ocr']);
    t.engine.start();
    const [user, team] = t.subs.all;
    user?.open().send(payload(1)).send(payload(2));
    team?.open().send(payload(2));
    user?.send(payload(1));
    expect(t.notes.map((n) => n.body)).toEqual(['doc 1', 'doc 2']);
    expect(t.engine.history('ls/user_42')?.events.map((e) => e.body)).toEqual(['doc 1', 'doc 2']);
    expect(t.engine.history('ls/team_ocr')?.events).toEqual([]);
    const counts = Object.fromEntries(t.engine.channels().map((c) => [c.channel, c.counts.duplicates]));
    expect(counts).toEqual({ user_42: 1, team_ocr: 1 });
  });

  it('keeps delivering valid events around malformed ones, counting them', () => {
    const t = setup();
    const malformed: string[] = [];
    t.engine.on('malformed', (m) => malformed.push(m.reason));
    t.engine.start();
    t.subs.last().open().send('{oops').send(payload(1)).send('[1]').send(payload(2));
    expect(t.engine.history('ls/user_42')?.events).toHaveLength(2);
    expect(malformed).toHaveLength(2);
    expect(t.engine.channels()[0]?.counts).toMatchObject({ events: 2, malformed: 2 });
  });

  it('records an outage as a gap in the channel history', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().open();
    t.clock.advance(1_000);
    const down = t.clock.now();
    t.subs.last().end(refused);
    t.clock.advance(5_000);
    t.subs.last().open();
    expect(t.engine.history('ls/user_42')?.gaps).toEqual([
      expect.objectContaining({ from: down, to: down + 5_000, reason: expect.stringMatching(/refused/) }),
    ]);
  });

  it('records sleep as a gap that ends when the channel is subscribed again, kept in history', () => {
    const t = setup(['a', 'b']);
    t.engine.start();
    const [a] = t.subs.all;
    a?.open();
    t.subs.all[1]?.end({
      response: { status: 401, contentType: 'application/json', redirected: false, finalUrl: 'x' },
    });
    t.engine.suspend('the computer was asleep');
    expect(a?.closed).toBe(true);
    t.clock.advance(3_600_000);
    t.engine.resume('the computer woke up');
    // The failed channel stays failed; the one that was open reconnects.
    expect(t.engine.channels().map((c) => c.state.kind)).toEqual(['connecting', 'failed']);
    t.subs.last().open();
    expect(t.engine.history('ls/a')?.gaps).toEqual([
      expect.objectContaining({ reason: 'the computer was asleep', to: expect.any(Number) }),
    ]);
    const gap = t.engine.history('ls/a')?.gaps[0];
    expect((gap?.to ?? 0) - (gap?.from ?? 0)).toBe(3_600_000);
  });

  it('reconnects one channel on request: a failed one is tried again, the others are left alone', () => {
    const t = setup(['a', 'b']);
    t.engine.start();
    const [a, b] = t.subs.all;
    a?.open();
    b?.end({ response: { status: 401, contentType: 'application/json', redirected: false, finalUrl: 'x' } });
    expect(t.engine.reconnect('ls/b', 'asked by the user')).toBe(true);
    expect(t.engine.channels().map((c) => c.state.kind)).toEqual(['open', 'connecting']);
    expect(t.subs.all).toHaveLength(3);
    expect(a?.closed).toBe(false);
    expect(t.engine.reconnect('ls/nope', 'asked by the user')).toBe(false);
  });

  it('tracks unread counts and marks read', () => {
    const t = setup();
    const unread: number[] = [];
    t.engine.on('channel', (c) => unread.push(c.unread));
    t.engine.start();
    t.subs.last().open().send(payload(1)).send(payload(2));
    t.clock.advance(50);
    expect(unread.at(-1)).toBe(2);
    const first = t.engine.history('ls/user_42')?.events[0]?.id ?? '';
    expect(t.engine.markRead('ls/user_42', [first])).toBe(1);
    expect(t.engine.markAllRead()).toBe(1);
    expect(unread.slice(-3)).toEqual([2, 1, 0]);
  });

  it('persists history in the background and restores it on the next start', async () => {
    const store = new MemoryStore();
    await previousRun(store, (sub) => sub.send(payload(1)).send(payload(2)));
    const saved = store.files.get('ls/user_42');
    expect(saved?.events).toHaveLength(2);
    expect(saved?.gaps).toEqual([expect.objectContaining({ reason: 'Annotray stopped' })]);

    const second = setup(['user_42'], store);
    second.engine.start();
    await subscribing(second.engine);
    second.subs.last().open().send(payload(2)).send(payload(3));
    expect(second.engine.history('ls/user_42')?.events.map((e) => e.body)).toEqual([
      'doc 1',
      'doc 2',
      'doc 3',
    ]);
  });

  it('renames a server without reconnecting, and says so to the window and the tray', () => {
    const t = setup(['a']);
    const names: string[] = [];
    t.engine.on('channel', (c) => names.push(c.serverName));
    t.engine.start();
    t.subs.last().open();
    t.engine.updateServers([
      {
        id: 'ls',
        name: 'Team server',
        url: 'http://127.0.0.1:8080',
        auth: { scheme: 'token', token: 'secret' },
        channels: ['a'],
      },
    ]);
    expect(t.subs.all).toHaveLength(1);
    expect(t.subs.last().closed).toBe(false);
    expect(names.at(-1)).toBe('Team server');
    expect(t.engine.channels()[0]?.serverName).toBe('Team server');
  });

  it.each([
    ['the token', { auth: { scheme: 'token', token: 'another' } }],
    ['the server URL', { url: 'http://127.0.0.1:8081' }],
    ['the events path', { eventsPath: '/events/{channel}' }],
    ['the task link', { taskUrl: '{server}/tasks/{task_id}' }],
    ['the idle refresh', { idleRefreshSeconds: 60 }],
  ] as const)('reconnects a channel when %s changes, and only then', (_what, change) => {
    const t = setup(['a']);
    t.engine.start();
    t.subs.last().open();
    const base = {
      id: 'ls',
      url: 'http://127.0.0.1:8080',
      auth: { scheme: 'token', token: 'secret' },
    } as const;
    t.engine.updateServers([{ ...base, name: 'Renamed', channels: ['a', 'b'] }]);
    expect(t.subs.all[0]?.closed).toBe(false);
    t.engine.updateServers([{ ...base, channels: ['a', 'b'], ...change }]);
    expect(t.subs.all[0]?.closed).toBe(true);
    expect(t.subs.all).toHaveLength(4);
  });

  it('updates servers: unchanged channels keep their connection, removed ones stop', () => {
    const t = setup(['a', 'b']);
    t.engine.start();
    const [a, b] = t.subs.all;
    a?.open();
    b?.open();
    t.engine.updateServers([
      {
        id: 'ls',
        url: 'http://127.0.0.1:8080',
        auth: { scheme: 'token', token: 'secret' },
        channels: ['a', 'c'],
      },
    ]);
    expect(a?.closed).toBe(false);
    expect(b?.closed).toBe(true);
    expect(t.subs.all).toHaveLength(3);
    expect(t.engine.channels().map((c) => c.channel)).toEqual(['a', 'c']);
  });
});

/** A store whose histories are read only once `release()` is called; the ids are read at once. */
function gatedStore(store: MemoryStore): { store: HistoryStore; release: () => void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return {
    release,
    store: {
      load: async (key) => {
        await gate;
        return store.load(key);
      },
      save: (key, snapshot) => store.save(key, snapshot),
      loadCursor: async (key) => store.files.get(key)?.lastEventId,
    },
  };
}

/** Lets the channels' stored histories load; each channel subscribes once its own has. */
async function subscribing(engine: Engine): Promise<void> {
  await engine.historyLoaded();
  await new Promise((r) => setTimeout(r, 0));
}

/** A run before this one: subscribes, receives what `frames` sends, and stops, leaving its history in `store`. */
async function previousRun(store: HistoryStore, frames: (sub: FakeSubscription) => unknown) {
  const first = setup(['user_42'], store);
  first.engine.start();
  await subscribing(first.engine);
  frames(first.subs.last().open());
  await first.engine.stop();
  return first;
}

describe('Engine start-up with stored history', () => {
  it('with a store that cannot read the id alone, subscribes once the stored history is read, so a replaying server does not notify again what the last run showed', async () => {
    const store = new MemoryStore();
    const first = await previousRun(store, (sub) => sub.send(payload(1)).send(payload(2)));
    expect(first.notes).toHaveLength(2);

    const second = setup(['user_42'], store);
    second.engine.start();
    expect(second.subs.all).toHaveLength(0);
    await subscribing(second.engine);
    second.subs.last().open().send(payload(1)).send(payload(2)).send(payload(3));
    expect(second.notes.map((n) => n.body)).toEqual(['doc 3']);
    expect(second.engine.history('ls/user_42')?.events.map((e) => e.body)).toEqual([
      'doc 1',
      'doc 2',
      'doc 3',
    ]);
  });
});

describe('Engine catch-up across restarts', () => {
  it('subscribes before a slow history is read, asking for what came after its stored id, and holds a replay until then', async () => {
    const store = new MemoryStore();
    await previousRun(store, (sub) => sub.send(payload(1), '1').send(payload(2), '2'));

    const { store: slow, release } = gatedStore(store);
    const second = setup(['user_42'], slow);
    second.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(second.subs.all).toHaveLength(1);
    expect(second.subs.last().options.lastEventId).toBe('2');
    // The server replays what the last run showed, and one new event, before the history is in.
    second.subs.last().open().send(payload(2), '2').send(payload(3), '3');
    expect(second.notes).toHaveLength(0);
    release();
    await subscribing(second.engine);
    expect(second.notes.map((n) => n.body)).toEqual(['doc 3']);
    expect(second.engine.history('ls/user_42')?.events.map((e) => e.body)).toEqual([
      'doc 1',
      'doc 2',
      'doc 3',
    ]);
  });

  it('past 10,000 frames before a slow history is read, stops listening until it is, then asks for what came after the last frame it held: nothing out of order, nothing lost', async () => {
    const store = new MemoryStore();
    await previousRun(store, (sub) => sub.send(payload(1), '1'));

    const { store: slow, release } = gatedStore(store);
    const second = setup(['user_42'], slow);
    const delivered: string[] = [];
    second.engine.on('event', ({ event }) => delivered.push(event.body));
    second.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    const replay = second.subs.last().open();
    const subscribedAt = second.clock.now();
    second.clock.advance(1_000);
    // A long backlog: the stored event again, then new ones, more than can be held.
    for (let n = 1; n <= 10_003; n += 1) replay.send(payload(n), String(n));
    const heldBackAt = second.clock.now();
    expect(replay.closed).toBe(true);
    expect(delivered).toEqual([]);
    second.clock.advance(2_000);
    release();
    await subscribing(second.engine);
    expect(second.subs.all).toHaveLength(2);
    expect(second.subs.last().options.lastEventId).toBe('10000');
    second.clock.advance(500);
    second.subs
      .last()
      .open()
      .send(payload(10_001), '10001')
      .send(payload(10_002), '10002')
      .send(payload(10_003), '10003');
    const doc = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `doc ${from + i}`);
    expect(delivered).toEqual(doc(2, 10_003));
    expect(second.engine.history('ls/user_42')?.events.map((e) => e.body)).toEqual(
      doc(1, 10_003).slice(-10_000),
    );
    const gaps = second.engine.history('ls/user_42')?.gaps ?? [];
    // The last run's stop ends when this run subscribed; the hold-back is a gap of its own.
    expect(gaps.at(-2)).toMatchObject({ reason: 'Annotray stopped', to: subscribedAt });
    expect(gaps.at(-1)).toMatchObject({ from: heldBackAt, to: second.clock.now() });
    expect(gaps.at(-1)?.reason).toMatch(
      /^10,000 events arrived before this channel's stored history was read.*asked the server for the events after the last one kept$/,
    );
  });

  it('past 10,000 frames before a slow history is read, does not notify a replay of stored events that come after them', async () => {
    const store = new MemoryStore();
    await previousRun(store, (sub) => sub.send(payload(10_001), '10001').send(payload(10_002), '10002'));

    const { store: slow, release } = gatedStore(store);
    // Room for the replay and the stored events, so none of them is trimmed away.
    const second = setup(['user_42'], slow, { maxEvents: 20_000, maxGaps: 10 });
    const delivered: string[] = [];
    second.engine.on('event', ({ event }) => delivered.push(event.body));
    second.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    // A server that replays its whole backlog, whatever Last-Event-ID says.
    const replay = second.subs.last().open();
    for (let n = 1; n <= 10_002; n += 1) replay.send(payload(n), String(n));
    release();
    await subscribing(second.engine);
    second.subs.last().open().send(payload(10_001), '10001').send(payload(10_002), '10002');
    expect(delivered).toHaveLength(10_000);
    expect(delivered.filter((body) => body === 'doc 10001' || body === 'doc 10002')).toEqual([]);
    expect(second.engine.channels()[0]?.counts.duplicates).toBe(2);
  });

  it('says a hold-back lost what was sent meanwhile when the server sends no ids to ask again from', async () => {
    const { store: slow, release } = gatedStore(new MemoryStore());
    const t = setup(['user_42'], slow);
    t.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    const replay = t.subs.last().open();
    for (let n = 1; n <= 10_000; n += 1) replay.send(payload(n));
    release();
    await subscribing(t.engine);
    expect(t.subs.last().options.lastEventId).toBeUndefined();
    t.subs.last().open();
    expect(t.engine.history('ls/user_42')?.gaps.at(-1)?.reason).toMatch(
      /the server sends no event ids to ask again from, so what it sent meanwhile was missed$/,
    );
  });

  it('a channel held back for its history while the computer sleeps listens again on wake, not before', async () => {
    const store = new MemoryStore();
    const { store: slow, release } = gatedStore(store);
    const t = setup(['user_42'], slow);
    t.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    const replay = t.subs.last().open();
    for (let n = 1; n <= 10_000; n += 1) replay.send(payload(n), String(n));
    t.engine.suspend('the computer was asleep');
    release();
    await subscribing(t.engine);
    expect(t.subs.all).toHaveLength(1);
    t.engine.resume('the computer woke up');
    expect(t.subs.all.length).toBeGreaterThan(1);
    expect(t.subs.last().closed).toBe(false);
    expect(t.subs.last().options.lastEventId).toBe('10000');
  });

  it("reads first the history of a channel whose first event arrived, and delivers that event before quiet channels' histories are in", async () => {
    const reads: string[] = [];
    const finish = new Map<string, () => void>();
    const store: HistoryStore = {
      load: (key) => {
        reads.push(key);
        return new Promise((resolve) => finish.set(key, () => resolve(undefined)));
      },
      save: async () => {},
      loadCursor: async () => undefined,
    };
    const t = setup(['a', 'b', 'c', 'd'], store);
    const delivered: string[] = [];
    t.engine.on('event', ({ event }) => delivered.push(`${event.channel} ${event.body}`));
    t.engine.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toEqual(['ls/a', 'ls/b']);
    t.subs.all[3]?.open().send(payload(1));
    finish.get('ls/a')?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toEqual(['ls/a', 'ls/b', 'ls/d']);
    finish.get('ls/d')?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual(['d doc 1']);
    finish.get('ls/b')?.();
    await new Promise((r) => setTimeout(r, 0));
    finish.get('ls/c')?.();
    await t.engine.historyLoaded();
  });

  it('keeps the last SSE id with the history and sends it as Last-Event-ID on the first connection after a restart', async () => {
    const store = new MemoryStore();
    const first = setup(['user_42'], store);
    first.engine.start();
    await subscribing(first.engine);
    expect(first.subs.last().options.lastEventId).toBeUndefined();
    first.subs.last().open().send(payload(1), '41').send(payload(2), '42');
    await first.engine.stop();
    expect(store.files.get('ls/user_42')?.lastEventId).toBe('42');

    const second = setup(['user_42'], store);
    second.engine.start();
    await subscribing(second.engine);
    expect(second.subs.last().options.lastEventId).toBe('42');
  });

  it('does not keep an id too long to send back', async () => {
    const store = new MemoryStore();
    await previousRun(store, (sub) => sub.send(payload(1), '7').send(payload(2), 'x'.repeat(5_000)));
    expect(store.files.get('ls/user_42')?.lastEventId).toBe('7');
  });

  it('counts events the server resends after a reconnect into the gap they were sent in', () => {
    const t = setup();
    const gaps: { resent?: number; to?: number }[] = [];
    t.engine.on('gap', ({ gap }) => gaps.push(gap));
    t.engine.start();
    const sent = (n: number, at: number) => payload(n, { message_time: new Date(at).toISOString() });
    t.subs.last().open().send(sent(1, t.clock.now()));
    t.clock.advance(60_000);
    t.subs.last().end({ bodyError: 'socket hang up' });
    const from = t.clock.now();
    t.clock.advance(30_000);
    t.subs.last().open();
    // The server resends what was published while the channel was down, then goes on.
    t.subs
      .last()
      .send(sent(2, from + 5_000))
      .send(sent(3, from + 10_000))
      .send(sent(4, t.clock.now()));
    const gap = t.engine.history('ls/user_42')?.gaps.at(-1);
    expect(gap?.to).toBeDefined();
    expect(gap?.resent).toBe(2);
    expect(gaps.at(-1)?.resent).toBe(2);
  });
});

describe('Engine outages the window shows', () => {
  it('shows a replaced silent connection as a stall gap over the silent time', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().open().send(payload(1));
    const silentSince = t.clock.now();
    // The idle refresh (300 s by default) replaces the silent connection.
    t.clock.advance(300_000);
    t.subs.last().open();
    const gaps = t.engine.history('ls/user_42')?.gaps ?? [];
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: 'stall', from: silentSince });
    expect(gaps[0]?.to).toBeGreaterThan(silentSince);
    expect(gaps[0]?.reason).toMatch(
      /nothing arrived for 300 s, so the idle refresh replaced the connection$/,
    );
  });

  it('merges a run of proxy cuts with no event between them into one row that counts them', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().open().send(payload(1));
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(60_000);
      t.subs.last().end({ ended: true });
      t.clock.advance(1_000);
      t.subs.last().open();
    }
    const gaps = t.engine.history('ls/user_42')?.gaps ?? [];
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: 'cut', count: 5 });
    expect(gaps[0]?.to).toBeDefined();
    // An event ends the run: the next cut starts a new row.
    t.subs.last().send(payload(2));
    t.clock.advance(60_000);
    t.subs.last().end({ ended: true });
    t.clock.advance(1_000);
    t.subs.last().open();
    expect(t.engine.history('ls/user_42')?.gaps.map((g) => g.count ?? 1)).toEqual([5, 1]);
  });
});
