import { describe, expect, it } from 'vitest';
import { formatTime } from './format-time.ts';

// Local times, so the test means the same in every time zone.
const at = (day: number, hour: number, minute = 0) => new Date(2025, 0, day, hour, minute).getTime();
const wednesday = at(8, 9, 30);

describe('formatTime', () => {
  it('writes the time of day alone for today', () => {
    expect(formatTime(at(8, 14, 5), wednesday, 'en-GB')).toBe('14:05');
    expect(formatTime(at(8, 0, 0), wednesday, 'en-GB')).toBe('00:00');
    expect(formatTime(at(8, 23, 59), wednesday, 'en-GB')).toBe('23:59');
  });

  it('adds the weekday for another day, before or after', () => {
    expect(formatTime(at(7, 8), wednesday, 'en-GB')).toBe('Tue 08:00');
    expect(formatTime(at(9, 0, 0), wednesday, 'en-GB')).toBe('Thu 00:00');
  });

  it('follows the locale it is given', () => {
    expect(formatTime(at(8, 14, 5), wednesday, 'en-US')).toBe('02:05 PM');
  });

  it('compares with the current time and the system locale by default', () => {
    const soon = Date.now() + 60_000;
    expect(formatTime(soon)).toBe(formatTime(soon, Date.now(), []));
  });
});
