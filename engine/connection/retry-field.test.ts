import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryFieldScanner } from './retry-field.ts';

const encode = (s: string) => new TextEncoder().encode(s);

function scan(chunks: readonly string[]): number | undefined {
  const scanner = new RetryFieldScanner();
  for (const chunk of chunks) scanner.feedBytes(encode(chunk));
  return scanner.value;
}

function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(text.slice(last, p));
    last = p;
  }
  parts.push(text.slice(last));
  return parts;
}

describe('RetryFieldScanner', () => {
  it('reads retry: lines with any line ending', () => {
    expect(scan(['retry: 5000\n'])).toBe(5000);
    expect(scan(['data: x\r\nretry:1200\r\n\r\n'])).toBe(1200);
    expect(scan(['retry: 700\r'])).toBe(700);
  });

  it('ignores invalid values, other fields and "retry" inside data', () => {
    expect(scan(['retry: soon\n', 'retry: -1\n', 'retry: 1e3\n'])).toBeUndefined();
    expect(scan(['data: retry: 9\n\n'])).toBeUndefined();
    expect(scan(['retry: 400\n', 'retry: nope\n'])).toBe(400);
  });

  it('finds the field whatever way the bytes are split', () => {
    const stream = 'data: {"a":1}\n\n: heartbeat\nretry: 2500\ndata: retry: 1\n\nid: 3\nretry: 4200\n\n';
    fc.assert(
      fc.property(fc.array(fc.nat(200), { maxLength: 12 }), (cuts) => {
        expect(scan(splitAt(stream, cuts))).toBe(4200);
      }),
    );
  });

  it('keeps no more than a few bytes however long a line is', () => {
    const scanner = new RetryFieldScanner();
    let most = 0;
    for (let i = 0; i < 1000; i += 1) {
      scanner.feedBytes(encode('retry-not-a-field-'.repeat(100)));
      most = Math.max(most, scanner.carried);
    }
    // A retry line that never ends: its digits are not kept beyond a short value.
    scanner.feedBytes(encode('\nretry: 1'));
    for (let i = 0; i < 1000; i += 1) {
      scanner.feedBytes(encode('9'.repeat(1000)));
      most = Math.max(most, scanner.carried);
    }
    expect(most).toBeLessThanOrEqual(32);
    scanner.feedBytes(encode('\nretry: 9\n'));
    expect(scanner.value).toBe(9);
  });
});
