import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSizeGuard, type SkippedEvent } from './event-size-guard.ts';

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');

function feedAll(limit: number, chunks: string[]): { out: string; skipped: SkippedEvent[]; held: number[] } {
  const skipped: SkippedEvent[] = [];
  const guard = new EventSizeGuard(limit, (s) => skipped.push(s));
  const held: number[] = [];
  let out = '';
  for (const chunk of chunks) {
    out += text(guard.feed(Buffer.from(chunk, 'latin1')));
    held.push(guard.heldBytes);
  }
  return { out, skipped, held };
}

describe('EventSizeGuard', () => {
  it('passes whole events, drops comments, and drops an oversized event up to its blank line', () => {
    const r = feedAll(20, [
      ': ping\r\ndata: a\r\n\r\n',
      `data: ${'x'.repeat(50)}\n`,
      'data: y\n\n',
      'data: b\n\n',
    ]);
    // The LF of the blank line's CRLF is dropped: alone at the head of the next event it would be a blank line.
    expect(r.out).toBe('data: a\r\n\rdata: b\n\n');
    expect(r.skipped).toEqual([{ bytes: 66 }]);
  });

  it('gives the same events wherever the stream is cut, and holds at most the limit', () => {
    const stream =
      ': c\r\ndata: 1\r\n\r\ndata: 2\rid: 7\r\r: x\ndata: 3\n\ndata: 4\r\n: y\r\ndata: 5\r\n\r\n';
    const whole = feedAll(1000, [stream]).out;
    expect(whole).toBe('data: 1\r\n\rdata: 2\rid: 7\r\rdata: 3\n\ndata: 4\r\ndata: 5\r\n\r');
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 10 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i) => stream.slice(p, points[i] ?? stream.length));
        expect(feedAll(1000, chunks).out).toBe(whole);
      }),
    );
  });

  it('holds at most the limit whatever bytes arrive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary-ascii', maxLength: 200 }), { maxLength: 20 }),
        (chunks) => {
          expect(Math.max(0, ...feedAll(64, chunks).held)).toBeLessThanOrEqual(64);
        },
      ),
    );
  });

  it('passes LF-only streams (the native-search path) as the byte-by-byte reading would', () => {
    const line = fc.oneof(
      fc.constantFrom('', ': ping', 'id: 3', 'event: x'),
      fc.string({ unit: fc.constantFrom('a', ':', ' ', 'é'), maxLength: 12 }).map((t) => `data: ${t}`),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 30 }),
        fc.array(fc.nat(400), { maxLength: 8 }),
        (lines, cuts) => {
          const stream = lines.map((l) => `${l}\n`).join('');
          // What the parser must get: every line but comments, up to the last blank line.
          const kept = lines.filter((l) => !l.startsWith(':'));
          const lastBlank = kept.lastIndexOf('');
          const expected = kept
            .slice(0, lastBlank + 1)
            .map((l) => `${l}\n`)
            .join('');
          const points = [...new Set(cuts.filter((c) => c < stream.length))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((p, i) => stream.slice(p, points[i] ?? stream.length));
          expect(feedAll(10_000, chunks).out).toBe(expected);
        },
      ),
    );
  });

  it('hands out views of the chunk only for what it does not hold past the call', () => {
    const guard = new EventSizeGuard(1000, () => {});
    const chunk = Buffer.from('data: 1\n\ndata: 2\n\ndata: 3');
    const out = guard.feed(chunk);
    expect(text(out)).toBe('data: 1\n\ndata: 2\n\n');
    // Whole events next to each other are one view of the chunk, not an object per event.
    expect(out).toHaveLength(1);
    expect(out[0]?.buffer).toBe(chunk.buffer);
    chunk.fill(0);
    expect(text(guard.feed(Buffer.from('\n\n')))).toBe('data: 3\n\n');
  });
});
