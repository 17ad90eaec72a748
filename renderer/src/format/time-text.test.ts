// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { NOW } from '../test-support/fake-bridge.ts';
import { clockTime, countdown, dayLabel, gapText, localDayKey, relativeTime } from './time-text.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('time text', () => {
  it('says how long ago, then the clock time', () => {
    expect(relativeTime(NOW - 20_000, NOW)).toBe('just now');
    expect(relativeTime(NOW + 5_000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 2 * MINUTE, NOW)).toBe('2 min ago');
    expect(relativeTime(NOW - 59 * MINUTE, NOW)).toBe('59 min ago');
    expect(relativeTime(NOW - 3 * HOUR, NOW)).toBe('3 h ago');
    expect(relativeTime(NOW - 13 * HOUR, NOW)).toBe(clockTime(NOW - 13 * HOUR));
  });

  it('names days: Today, Yesterday, then the date', () => {
    expect(dayLabel(localDayKey(NOW), NOW)).toBe('Today');
    expect(dayLabel(localDayKey(NOW - 24 * HOUR), NOW)).toBe('Yesterday');
    const older = dayLabel(localDayKey(NOW - 3 * 24 * HOUR), NOW);
    expect(older).toMatch(/20/);
    expect(older).not.toMatch(/2026/);
    expect(dayLabel('2025-01-05', NOW)).toMatch(/2025/);
  });

  it('words gaps: closed with both times, open with its start', () => {
    const from = NOW - 10 * MINUTE;
    expect(gapText({ from, to: NOW })).toBe(
      `Disconnected ${clockTime(from)}–${clockTime(NOW)} — events sent then were not received`,
    );
    expect(gapText({ from })).toBe(`Disconnected since ${clockTime(from)}`);
  });

  it('words a gap the server resent events into by counting them, not calling everything lost', () => {
    const from = NOW - 10 * MINUTE;
    expect(gapText({ from, to: NOW, resent: 3 })).toBe(
      `Disconnected ${clockTime(from)}–${clockTime(NOW)} — the server resent 3 events sent then; any others were not received`,
    );
  });

  it('words a run of quiet-stream cuts as one row counting the reconnects since its start', () => {
    const from = NOW - 60 * MINUTE;
    expect(gapText({ from, to: NOW, kind: 'cut', count: 1 })).toBe(
      `Reconnected at ${clockTime(from)} after the quiet stream was closed — events sent in that moment may be missing`,
    );
    expect(gapText({ from, to: NOW, kind: 'cut', count: 60, downMs: 14_000 })).toBe(
      `Reconnected 60 times since ${clockTime(from)}, each time the quiet stream was closed (14 s unsubscribed in all) — events sent in those moments may be missing`,
    );
    expect(gapText({ from, kind: 'cut', count: 2, downMs: 200 })).toMatch(/reconnecting \(2 times since/);
  });

  it('words replaced silent connections as a possible stall over the silent time', () => {
    const from = NOW - 5 * MINUTE;
    expect(gapText({ from, to: NOW, kind: 'stall', count: 1 })).toBe(
      `Silent ${clockTime(from)}–${clockTime(NOW)}, connection replaced — if it had stalled, events sent then were not received`,
    );
    expect(gapText({ from, to: NOW, kind: 'stall', count: 4 })).toBe(
      `Silent connection replaced 4 times since ${clockTime(from)} — if it had stalled, events sent then were not received`,
    );
  });

  it('counts down to the next attempt', () => {
    expect(countdown(-5)).toBe('now');
    expect(countdown(7_200)).toBe('8 s');
    expect(countdown(65_000)).toBe('1 min 5 s');
    expect(countdown(120_000)).toBe('2 min');
    expect(countdown(15 * MINUTE + 3_000)).toBe('15 min');
  });
});
