import { describe, expect, it } from 'vitest';
import { SeenSet } from './dedupe.ts';

describe('SeenSet', () => {
  it('reports the second sighting of a key', () => {
    const seen = new SeenSet(10);
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const seen = new SeenSet(3);
    for (const k of ['a', 'b', 'c', 'd']) seen.add(k);
    expect(seen.size).toBe(3);
    expect(seen.has('a')).toBe(false);
    expect(seen.has('d')).toBe(true);
  });
});
