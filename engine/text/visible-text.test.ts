import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleText } from './visible-text.ts';

describe('visibleText', () => {
  it('shows ESC, BEL, CR/LF, DEL, C1 and bidi overrides as escapes and keeps other text', () => {
    expect(visibleText('a\u001b]8;;x\u0007b\r\nc\u007f\u009b\u202e\u2066d é 😀 ✓')).toBe(
      'a\\x1b]8;;x\\x07b\\r\\nc\\x7f\\x9b\\u202e\\u2066d é 😀 ✓',
    );
  });

  it('leaves no control, bidi or lone surrogate in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = visibleText(text);
        for (const ch of out) {
          const c = ch.codePointAt(0) ?? 0;
          expect(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)).toBe(false);
          expect(c >= 0xd800 && c <= 0xdfff).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
