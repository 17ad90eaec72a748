// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { NOW } from '../test-support/fake-bridge.ts';
import { pauseUntilText } from './pause-text.ts';
import { clockTime } from './time-text.ts';

describe('pauseUntilText', () => {
  it('words every kind of pause', () => {
    expect(pauseUntilText({ kind: 'none' }, NOW)).toBe('');
    expect(pauseUntilText({ kind: 'indefinite' }, NOW)).toBe('until you resume');
    expect(pauseUntilText({ kind: 'until', until: NOW + 3_600_000 }, NOW)).toBe(
      `until ${clockTime(NOW + 3_600_000)}`,
    );
    const tomorrow = new Date(NOW);
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(8, 0, 0, 0);
    expect(pauseUntilText({ kind: 'until', until: tomorrow.getTime() }, NOW)).toBe(
      `until tomorrow ${clockTime(tomorrow.getTime())}`,
    );
  });
});
