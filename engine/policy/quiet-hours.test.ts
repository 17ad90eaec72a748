// Quiet hours in a zone with DST (Europe/Berlin: clocks go forward on 2026-03-29 at 02:00 and
// back on 2026-10-25 at 03:00), computed from local wall-clock times.
process.env.TZ = 'Europe/Berlin';

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import { NotificationPolicy } from './notification-policy.ts';
import { DEFAULT_PREFERENCES } from './preferences.ts';
import {
  isQuiet,
  nextQuietStart,
  parseTimeOfDay,
  type QuietHours,
  quietHoursProblem,
  quietUntil,
} from './quiet-hours.ts';

/** Local time in Berlin: month is 1-based here. */
const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();

const evenings: QuietHours = {
  enabled: true,
  from: '18:00',
  to: '08:00',
  days: [1, 2, 3, 4, 5],
  allDay: [0, 6],
};

describe('quiet hours', () => {
  it('runs in the Berlin zone (the DST cases below depend on it)', () => {
    expect(new Date(at(2026, 7, 1, 12)).getTimezoneOffset()).toBe(-120);
    expect(new Date(at(2026, 12, 1, 12)).getTimezoneOffset()).toBe(-60);
  });

  it('crosses midnight: a weekday evening is quiet until 08:00 the next morning', () => {
    // Tuesday 2026-12-01.
    expect(isQuiet(evenings, at(2026, 12, 1, 17, 59))).toBe(false);
    expect(isQuiet(evenings, at(2026, 12, 1, 18, 0))).toBe(true);
    expect(isQuiet(evenings, at(2026, 12, 2, 0, 30))).toBe(true);
    expect(isQuiet(evenings, at(2026, 12, 2, 7, 59))).toBe(true);
    expect(isQuiet(evenings, at(2026, 12, 2, 8, 0))).toBe(false);
    expect(quietUntil(evenings, at(2026, 12, 1, 22))).toBe(at(2026, 12, 2, 8));
    expect(quietUntil(evenings, at(2026, 12, 1, 12))).toBeUndefined();
    expect(nextQuietStart(evenings, at(2026, 12, 1, 12))).toBe(at(2026, 12, 1, 18));
  });

  it('keeps the whole weekend quiet, from Friday evening to Monday 08:00', () => {
    // Friday 2026-12-04 20:00 → Monday 2026-12-07 08:00.
    expect(quietUntil(evenings, at(2026, 12, 4, 20))).toBe(at(2026, 12, 7, 8));
    expect(isQuiet(evenings, at(2026, 12, 6, 13))).toBe(true);
    expect(isQuiet(evenings, at(2026, 12, 7, 7))).toBe(true);
    expect(isQuiet(evenings, at(2026, 12, 7, 9))).toBe(false);
  });

  it('a window within one day, and from equal to to meaning the whole day', () => {
    const lunch: QuietHours = {
      enabled: true,
      from: '12:00',
      to: '13:00',
      days: [1, 2, 3, 4, 5],
      allDay: [],
    };
    expect(isQuiet(lunch, at(2026, 12, 1, 12, 30))).toBe(true);
    expect(isQuiet(lunch, at(2026, 12, 1, 13, 0))).toBe(false);
    expect(isQuiet(lunch, at(2026, 12, 5, 12, 30))).toBe(false);
    const wednesdays: QuietHours = { enabled: true, from: '00:00', to: '00:00', days: [3], allDay: [] };
    expect(isQuiet(wednesdays, at(2026, 12, 2, 23, 59))).toBe(true);
    expect(quietUntil(wednesdays, at(2026, 12, 2, 10))).toBe(at(2026, 12, 3, 0));
  });

  it('ends at 08:00 wall-clock time on the nights the clocks change', () => {
    // Spring forward: the night of Sunday 28 → Monday 30 March is 1 h shorter; still 08:00.
    expect(quietUntil(evenings, at(2026, 3, 27, 20))).toBe(at(2026, 3, 30, 8));
    expect(new Date(at(2026, 3, 30, 8)).getHours()).toBe(8);
    // Fall back: 25 October has 25 hours.
    expect(quietUntil(evenings, at(2026, 10, 23, 20))).toBe(at(2026, 10, 26, 8));
    const overnight: QuietHours = { enabled: true, from: '02:30', to: '03:30', days: [0], allDay: [] };
    // 02:30 does not exist on 29 March: the window starts when the clocks reach 03:00.
    expect(isQuiet(overnight, at(2026, 3, 29, 3, 15))).toBe(true);
    expect(isQuiet(overnight, at(2026, 3, 29, 3, 45))).toBe(false);
  });

  it('is off when disabled, and names what is wrong with an impossible schedule', () => {
    expect(isQuiet({ ...evenings, enabled: false }, at(2026, 12, 1, 22))).toBe(false);
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseTimeOfDay('7:00')).toBeUndefined();
    expect(parseTimeOfDay('07:05')).toBe(425);
    expect(quietHoursProblem({ ...evenings, from: '25:00' })).toMatch(/"25:00" is not a time of day/);
    expect(quietHoursProblem({ ...evenings, days: [], allDay: [] })).toMatch(/at least one day/);
    expect(quietHoursProblem({ ...evenings, days: [7 as never] })).toMatch(/weekdays 0/);
    expect(quietHoursProblem(evenings)).toBeUndefined();
  });

  it('silences events during quiet hours, also after a restart in the middle of them, but lets errors through when errors always notify', () => {
    // A policy made fresh at 23:00 (Annotray restarted mid-window) reads the same schedule.
    const clock = new FakeClock(at(2026, 12, 1, 23));
    const shown: unknown[] = [];
    const policy = new NotificationPolicy({ ...DEFAULT_PREFERENCES, quietHours: evenings }, clock, {
      notify: (n) => shown.push(n),
    });
    expect(policy.offer(sampleEvent())).toBe('quiet');
    expect(policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }))).toBe('notified');
    policy.setPreferences({ ...DEFAULT_PREFERENCES, quietHours: evenings, errorsAlwaysNotify: false });
    expect(policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }))).toBe('quiet');
    clock.advance(9 * 60 * 60 * 1000);
    expect(policy.offer(sampleEvent())).toBe('notified');
    expect(shown).toHaveLength(2);
  });
});
