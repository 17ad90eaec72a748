import { describe, expect, it } from 'vitest';
import { clipLine, clipText } from './clip.ts';

describe('clipText', () => {
  it('keeps text within the limit as it is', () => {
    expect(clipText('short', 10)).toBe('short');
    expect(clipText('😀😀😀', 3)).toBe('😀😀😀');
  });

  it('cuts on a code-point boundary, the ellipsis included in the limit', () => {
    expect(clipText('abcdefghij', 5)).toBe('abcd…');
    const clipped = clipText('😀'.repeat(500), 120);
    expect(Array.from(clipped)).toHaveLength(120);
    expect(clipped.endsWith('😀…')).toBe(true);
    expect(clipText(`${'a'.repeat(9)}😀`, 9)).toBe(`${'a'.repeat(8)}…`);
  });

  it('flattens a summary to one line first', () => {
    expect(clipLine('  one\n\ttwo   three ', 40)).toBe('one two three');
  });
});
