import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventTime } from './event-time.ts';

describe('message_time', () => {
  it('reads a naive ISO time (Label Studio) as local time, microseconds included', () => {
    expect(parseEventTime('2026-11-23T10:04:05.123456')).toBe(
      new Date(2026, 10, 23, 10, 4, 5, 123).getTime(),
    );
  });

  it('honours offsets and Z', () => {
    expect(parseEventTime('2026-11-23T10:04:05Z')).toBe(Date.UTC(2026, 10, 23, 10, 4, 5));
    expect(parseEventTime('2026-11-23T10:04:05+02:00')).toBe(Date.UTC(2026, 10, 23, 8, 4, 5));
    expect(parseEventTime('2026-11-23T10:04:05.5-0130')).toBe(Date.UTC(2026, 10, 23, 11, 34, 5, 500));
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(parseEventTime(1_795_000_000)).toBe(1_795_000_000_000);
    expect(parseEventTime(1_795_000_000.25)).toBe(1_795_000_000_250);
    expect(parseEventTime(1_795_000_000_000)).toBe(1_795_000_000_000);
  });

  it('gives undefined for anything else', () => {
    for (const bad of [
      'yesterday',
      '2026-13-01T00:00:00',
      '',
      -5,
      Number.NaN,
      null,
      {},
      '2026-11-23T25:00:00',
      'x'.repeat(100),
    ]) {
      expect(parseEventTime(bad)).toBeUndefined();
    }
  });
});

describe('parseEventTime out of range', () => {
  it('gives up on any time a Date cannot hold, so formatting it never throws', () => {
    expect(parseEventTime(8.64e15 + 1)).toBeUndefined();
    expect(parseEventTime(1e300)).toBeUndefined();
    expect(parseEventTime(8.64e15)).toBe(8.64e15);
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.string(), fc.integer()), (value) => {
        const ms = parseEventTime(value);
        if (ms !== undefined) expect(() => new Date(ms).toISOString()).not.toThrow();
      }),
    );
  });
});

describe('naive times read on the fast path', () => {
  it('give what new Date gives for the same local time, in any minute, any zone rule', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        // Seconds in a row share the cached minute; DST days (March, October, November) included.
        fc.date({ min: new Date(1973, 0, 1), max: new Date(2100, 0, 1), noInvalidDate: true }),
        fc.nat(60),
        fc.integer({ min: 0, max: 6 }),
        fc.nat(999_999),
        (date, second, fracDigits, fracValue) => {
          const frac = pad(fracValue, 6).slice(0, fracDigits);
          const head = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
          const text = `${head}:${pad(second)}${frac ? `.${frac}` : ''}`;
          const ms = Math.floor(Number(`0.${frac || '0'}`) * 1000);
          const expected = new Date(
            date.getFullYear(),
            date.getMonth(),
            date.getDate(),
            date.getHours(),
            date.getMinutes(),
            second,
            ms,
          ).getTime();
          expect(parseEventTime(text)).toBe(expected);
          // The same minute again, from the cache.
          expect(parseEventTime(`${head}:00`)).toBe(
            new Date(
              date.getFullYear(),
              date.getMonth(),
              date.getDate(),
              date.getHours(),
              date.getMinutes(),
            ).getTime(),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves other shapes to the general reading', () => {
    expect(parseEventTime('2026-11-23 10:04:05')).toBe(new Date(2026, 10, 23, 10, 4, 5).getTime());
    expect(parseEventTime(' 2026-11-23T10:04:05.5 ')).toBe(new Date(2026, 10, 23, 10, 4, 5, 500).getTime());
    expect(parseEventTime('2026-11-23T10:04:05.')).toBeUndefined();
    expect(parseEventTime('2026-11-23T10:04:61')).toBeUndefined();
    expect(parseEventTime('1900-01-01T00:00:00')).toBe(new Date(1900, 0, 1).getTime());
    expect(parseEventTime('2026-11-23T10:04:05.1234567')).toBe(
      new Date(2026, 10, 23, 10, 4, 5, 123).getTime(),
    );
  });
});
