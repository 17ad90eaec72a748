// Lost-connection alerts, driven through the engine's channel states with a fake clock.
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { FakeClock, sequenceRandom } from '../testing/fake-clock.ts';
import { answered, fakeSubscriptions, refused } from '../testing/fake-subscription.ts';
import type { NotificationIntent } from './notification-intent.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from './preferences.ts';

const MINUTE = 60_000;

function setup(preferences: Partial<NotificationPreferences> = {}, channels = ['user_42']) {
  const clock = new FakeClock();
  const subs = fakeSubscriptions();
  const notes: NotificationIntent[] = [];
  const engine = new Engine({
    servers: [{ id: 'ls', url: 'http://127.0.0.1:8080', auth: { scheme: 'token', token: 't' }, channels }],
    notifier: { notify: (n) => notes.push(n) },
    preferences: { ...DEFAULT_PREFERENCES, ...preferences },
    clock,
    random: sequenceRandom([0.5]),
    createSubscription: subs.factory,
  });
  /** Refuses every attempt for `ms`, as a server that is down would. */
  const downFor = (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      const last = subs.last();
      if (!last.ended) last.end(refused);
      const next = clock.pending[0];
      if (next === undefined || next > end) break;
      clock.advance(next - clock.now());
    }
    clock.advance(Math.max(0, end - clock.now()));
  };
  /** Lets time run to the next attempt (after downFor ended the last one). */
  const nextAttempt = () => {
    for (let i = 0; i < 100 && subs.last().ended; i += 1) {
      const next = clock.pending[0];
      if (next === undefined) break;
      clock.advance(next - clock.now());
    }
    return subs.last();
  };
  return { clock, subs, notes, engine, downFor, nextAttempt };
}

describe('lost-connection alerts', () => {
  it('says once that a channel has not been connected for 2 minutes, and once that it is back, with how long', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().open();
    t.subs.last().end(refused);
    t.downFor(6 * MINUTE);
    t.nextAttempt().open();
    expect(t.notes.map((n) => n.title)).toEqual([
      'user_42 has not been connected for 2 min',
      'user_42 is back after 6 min',
    ]);
    expect(t.notes[0]).toMatchObject({
      urgency: 'critical',
      target: { kind: 'channel', channelKey: 'ls/user_42' },
    });
    expect(t.notes[0]?.body).toMatch(
      /refused.*Events sent meanwhile may be missing; Annotray keeps trying\./,
    );
    expect(t.notes[1]?.body).toBe('Events sent meanwhile may be missing.');
  });

  it('says nothing about an outage shorter than the threshold', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().open();
    t.subs.last().end(refused);
    t.downFor(90_000);
    t.nextAttempt().open();
    expect(t.notes).toEqual([]);
  });

  it('says at once what to fix when a channel stops for a reason retrying cannot fix, once per episode', () => {
    const t = setup();
    t.engine.start();
    t.subs.last().end(answered(401, 'application/json'));
    expect(t.engine.channels()[0]?.state.kind).toBe('failed');
    t.clock.advance(10 * MINUTE);
    expect(t.notes).toHaveLength(1);
    expect(t.notes[0]).toMatchObject({ title: 'Annotray stopped following user_42', urgency: 'critical' });
    expect(t.notes[0]?.body).toMatch(/401/);
    // Retried by the person and working again: one "back".
    t.engine.reconnect('ls/user_42', 'asked');
    t.subs.last().open();
    expect(t.notes.map((n) => n.title)).toEqual([
      'Annotray stopped following user_42',
      'user_42 is back after 10 min',
    ]);
  });

  it('can be turned off, and follows quiet hours and mutes unless errors always notify', () => {
    const off = setup({ unreachableAlertMs: null });
    off.engine.start();
    off.subs.last().end(refused);
    off.downFor(10 * MINUTE);
    expect(off.notes).toEqual([]);

    const everyDayAllDay = {
      enabled: true,
      from: '00:00',
      to: '00:00',
      days: [],
      allDay: [0, 1, 2, 3, 4, 5, 6],
    } as const;
    const quiet = setup({ quietHours: everyDayAllDay, errorsAlwaysNotify: false });
    quiet.engine.start();
    quiet.subs.last().end(refused);
    quiet.downFor(10 * MINUTE);
    quiet.nextAttempt().open();
    expect(quiet.notes).toEqual([]);

    const muted = setup({ mutes: { 'ls/user_42': 'indefinite' }, errorsAlwaysNotify: true });
    muted.engine.start();
    muted.subs.last().end(refused);
    muted.downFor(3 * MINUTE);
    expect(muted.notes.map((n) => n.title)).toEqual(['user_42 has not been connected for 2 min']);
  });

  it('alerts about a channel that never connected since start-up, and not about one paused for sleep', () => {
    const t = setup({}, ['a', 'b']);
    t.engine.start();
    t.subs.all[0]?.open();
    t.subs.all[1]?.end(refused);
    t.engine.suspend('the computer is going to sleep');
    t.clock.advance(30 * MINUTE);
    expect(t.notes).toEqual([]);
    t.engine.resume('the computer woke up');
    for (const sub of t.subs.all) if (!sub.ended) sub.end(refused);
    t.downFor(3 * MINUTE);
    // Both channels were down for more than 2 minutes after waking: named with their channel.
    expect(t.notes.map((n) => n.title).sort()).toEqual([
      'a has not been connected for 2 min',
      'b has not been connected for 2 min',
    ]);
  });
});
