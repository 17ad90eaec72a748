import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import type { NotificationIntent } from './notification-intent.ts';
import { NotificationPolicy } from './notification-policy.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences, tomorrowMorning } from './preferences.ts';

function setup(preferences: Partial<NotificationPreferences> = {}) {
  const clock = new FakeClock();
  const shown: NotificationIntent[] = [];
  const policy = new NotificationPolicy({ ...DEFAULT_PREFERENCES, ...preferences }, clock, {
    notify: (n) => shown.push(n),
  });
  return { clock, shown, policy };
}

describe('NotificationPolicy', () => {
  it('notifies a single event at once, opening its task', () => {
    const { shown, policy } = setup();
    const event = sampleEvent({ task_id: 7, document_name: 'invoice_0042.pdf' });
    expect(policy.offer(event)).toBe('notified');
    expect(shown).toEqual([
      expect.objectContaining({
        title: 'Task 7 assigned: invoice_0042.pdf',
        target: { kind: 'task', url: 'https://ls.example.com/projects/3/data?task=7' },
        count: 1,
        urgency: 'normal',
        silent: false,
      }),
    ]);
  });

  it('opens the window on the event when it has no task', () => {
    const { shown, policy } = setup();
    const event = sampleEvent({ event_type: 'ocr.batch.processed', task_id: undefined });
    policy.offer(event);
    expect(shown[0]?.target).toEqual({ kind: 'event', channelKey: 'ls/user_42', eventId: event.id });
  });

  it('turns 10,000 events in one second into at most 3 notifications that account for all of them', () => {
    const { clock, shown, policy } = setup();
    for (let i = 0; i < 10_000; i += 1) {
      policy.offer(sampleEvent());
      if (i % 100 === 0) clock.advance(10);
    }
    clock.advance(60_000);
    expect(shown.length).toBeLessThanOrEqual(3);
    expect(shown.reduce((n, s) => n + s.count, 0)).toBe(10_000);
    expect(shown.at(-1)).toMatchObject({
      title: '9998 new events on user_42',
      body: '9998 tasks assigned',
      target: { kind: 'channel', channelKey: 'ls/user_42' },
    });
  });

  it('summarizes bursts across channels and flags errors in them', () => {
    const { clock, shown, policy } = setup({ maxIndividual: 0 });
    policy.offer(sampleEvent({}, 'user_1'));
    policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }, 'user_2'));
    policy.offer(sampleEvent({}, 'user_2'));
    clock.advance(DEFAULT_PREFERENCES.burstWindowMs);
    expect(shown).toEqual([
      expect.objectContaining({
        title: '3 new events on 2 channels',
        body: '2 tasks assigned, 1 error',
        urgency: 'critical',
        target: { kind: 'channel' },
      }),
    ]);
  });

  it('goes back to single notifications once a burst is over', () => {
    const { clock, shown, policy } = setup();
    for (let i = 0; i < 5; i += 1) policy.offer(sampleEvent());
    clock.advance(10_000);
    clock.advance(10_000);
    policy.offer(sampleEvent({ task_id: 99 }));
    expect(shown.map((s) => s.count)).toEqual([1, 1, 3, 1]);
    expect(shown.at(-1)?.title).toMatch(/^Task 99/);
  });

  it('respects per-type switches; errors notify even when paused or switched off', () => {
    const clock = new FakeClock();
    const shown: NotificationIntent[] = [];
    const prefs: NotificationPreferences = {
      ...DEFAULT_PREFERENCES,
      types: { ...DEFAULT_PREFERENCES.types, 'ocr.task.assigned': false, 'ocr.error.occurred': false },
      pausedUntil: clock.now() + 3_600_000,
    };
    const policy = new NotificationPolicy(prefs, clock, { notify: (n) => shown.push(n) });
    expect(policy.offer(sampleEvent())).toBe('disabled');
    expect(policy.offer(sampleEvent({ event_type: 'ocr.annotation.completed' }))).toBe('paused');
    expect(policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }))).toBe('notified');
    policy.setPreferences({ ...prefs, errorsAlwaysNotify: false });
    expect(policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }))).toBe('disabled');
    expect(shown).toHaveLength(1);
    expect(shown[0]?.urgency).toBe('critical');
  });

  it('resumes by itself when the pause ends, and can pause until resumed', () => {
    const { clock, shown, policy } = setup({ pausedUntil: Date.UTC(2026, 10, 23, 10) });
    expect(policy.offer(sampleEvent())).toBe('paused');
    clock.advance(3_600_000);
    expect(policy.offer(sampleEvent())).toBe('notified');
    policy.setPreferences({ ...policy.preferences, pausedUntil: Number.POSITIVE_INFINITY });
    clock.advance(365 * 86_400_000);
    expect(policy.offer(sampleEvent())).toBe('paused');
    expect(shown).toHaveLength(1);
  });

  it('marks notifications silent when sound is off; unknown types follow the "other" switch', () => {
    const { shown, policy } = setup({ sound: false, types: { ...DEFAULT_PREFERENCES.types, other: false } });
    expect(policy.offer(sampleEvent({ event_type: 'export.done' }))).toBe('disabled');
    policy.offer(sampleEvent());
    expect(shown[0]?.silent).toBe(true);
  });

  it('computes "until tomorrow" as 08:00 the next day', () => {
    const at = new Date(2026, 10, 23, 22, 30).getTime();
    expect(new Date(tomorrowMorning(at))).toEqual(new Date(2026, 10, 24, 8, 0));
  });
});
