// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { localDayKey } from '../format/time-text.ts';
import { event, gap, NOW } from '../test-support/fake-bridge.ts';
import { buildRows } from './list-rows.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('buildRows', () => {
  it('groups newest-first events by day with a heading at each new day', () => {
    const rows = buildRows(
      [
        event({ id: 'a', time: NOW }),
        event({ id: 'b', time: NOW - MINUTE }),
        event({ id: 'c', time: NOW - DAY }),
      ],
      [],
    );
    expect(rows.map((r) => (r.kind === 'day' ? r.day : r.key))).toEqual([
      localDayKey(NOW),
      'event:a',
      'event:b',
      localDayKey(NOW - DAY),
      'event:c',
    ]);
  });

  it('puts a gap between the events before the disconnection and those after it', () => {
    const rows = buildRows(
      [event({ id: 'after', time: NOW - 5 * MINUTE }), event({ id: 'before', time: NOW - 20 * MINUTE })],
      [gap({ id: 'g', from: NOW - 15 * MINUTE, to: NOW - 10 * MINUTE })],
    );
    expect(rows.map((r) => r.kind)).toEqual(['day', 'event', 'gap', 'event']);
    expect(rows[2]?.key).toBe('gap:ls/user_42:g');
  });

  it('shows gaps even when no event is listed', () => {
    const rows = buildRows([], [gap({ to: undefined })]);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'gap']);
  });
});
