import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoff', () => {
  it('doubles the ceiling from 1 s and caps it at 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffCeiling(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('spreads delays over the whole range below the ceiling (full jitter)', () => {
    expect(backoffDelay(3, () => 0.5)).toBe(4_000);
    expect(backoffDelay(3, () => 0.999)).toBe(7_992);
    expect(backoffDelay(10, () => 0.25)).toBe(15_000);
  });

  it('never goes below 100 ms, so a flapping server cannot make the client spin', () => {
    expect(backoffDelay(0, () => 0)).toBe(100);
  });

  it("takes the server's retry: as a floor, within the cap", () => {
    expect(backoffDelay(0, () => 0, DEFAULT_BACKOFF, 5_000)).toBe(5_000);
    expect(backoffDelay(8, () => 0.9, DEFAULT_BACKOFF, 5_000)).toBe(54_000);
    expect(backoffDelay(0, () => 0, DEFAULT_BACKOFF, 10 * 60_000)).toBe(60_000);
  });

  it("spreads a team's returns over a quarter of the server's floor (at least 500 ms) above it", () => {
    const delays = [0, 0.25, 0.5, 0.999].map((r) => backoffDelay(0, () => r, DEFAULT_BACKOFF, 8_000));
    expect(delays).toEqual([8_000, 8_500, 9_000, 9_998]);
    const zero = [0, 0.5, 0.999].map((r) => backoffDelay(0, () => r, DEFAULT_BACKOFF, 0));
    expect(zero).toEqual([100, 500, 999]);
  });
});
