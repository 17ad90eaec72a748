// The real Subscription (the eventsource package, our tap and retry scanner) over a fake
// HTTP answer: framing, split chunks, named events, ids, and hostile bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../events/normalize.ts';
import { Authorizer } from './auth.ts';
import type { AttemptFacts } from './failure.ts';
import { type AttemptRequest, Subscription } from './subscription.ts';

interface Run {
  frames: RawFrame[];
  facts: AttemptFacts;
  requests: AttemptRequest[];
  retry: number | undefined;
}

function run(
  chunks: readonly Uint8Array[],
  init: { status?: number; contentType?: string; lastEventId?: string; maxBufferSize?: number } = {},
): Promise<Run> {
  const url = new URL('http://127.0.0.1:1/api/notifications/events/user_42');
  const frames: RawFrame[] = [];
  const requests: AttemptRequest[] = [];
  return new Promise((resolve) => {
    new Subscription(
      {
        url,
        channel: 'user_42',
        authorizer: new Authorizer(url, { scheme: 'token', token: 'abc' }),
        maxBufferSize: init.maxBufferSize ?? 1024 * 1024,
        connectTimeoutMs: 1000,
        userAgent: 'test',
        ...(init.lastEventId ? { lastEventId: init.lastEventId } : {}),
        fetch: async (_url, request) => {
          requests.push(request);
          let i = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              const chunk = chunks[i++];
              if (chunk) controller.enqueue(chunk);
              else controller.close();
            },
          });
          return new Response(body, {
            status: init.status ?? 200,
            headers: { 'content-type': init.contentType ?? 'text/event-stream' },
          });
        },
      },
      {
        connected() {},
        open() {},
        activity() {},
        frame: (_s, f) => frames.push(f),
        ended: (s, facts) => resolve({ frames, facts, requests, retry: s.retry.value }),
      },
      Date.now,
    );
  });
}

const bytes = (s: string) => new TextEncoder().encode(s);

function split(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, data.length]) {
    if (p > last) out.push(data.subarray(last, p));
    last = p;
  }
  return out;
}

const STREAM =
  '\uFEFFdata: {"event_type":"ocr.task.assigned","task_id":1}\n\n' +
  ': heartbeat\r\n\r\n' +
  'id: 7\r\nretry: 2500\r\ndata: {"a":"multi\r\ndata: line","é":"ü"}\r\n\r\n' +
  'event: news\rdata: {"n":2}\r\r' +
  'data: {"unterminated":true}';

describe('Subscription over eventsource', () => {
  it('sends the token, Accept and Last-Event-ID', async () => {
    const r = await run([bytes('data: {}\n\n')], { lastEventId: '41' });
    expect(r.requests[0]?.headers).toMatchObject({
      Accept: 'text/event-stream',
      Authorization: 'Token abc',
      'Last-Event-ID': '41',
    });
  });

  it('parses the full WHATWG framing: BOM, CRLF, CR, comments, ids, named and multi-line events', async () => {
    const r = await run([bytes(STREAM)]);
    expect(r.frames).toEqual([
      { data: '{"event_type":"ocr.task.assigned","task_id":1}', eventName: 'message' },
      { data: '{"a":"multi\nline","é":"ü"}', eventName: 'message', sseId: '7' },
      { data: '{"n":2}', eventName: 'news', sseId: '7' },
    ]);
    expect(r.retry).toBe(2500);
    expect(r.facts.ended).toBe(true);
  });

  it('yields the same events however the bytes are split into chunks', async () => {
    const whole = await run([bytes(STREAM)]);
    const data = bytes(STREAM);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(data.length), { maxLength: 20 }), async (cuts) => {
        const r = await run(split(data, cuts));
        expect(r.frames).toEqual(whole.frames);
        expect(r.retry).toBe(2500);
      }),
      { numRuns: 150 },
    );
  });

  it('survives any bytes at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), async (chunks) => {
        const r = await run([...chunks, bytes('\n\ndata: {"ok":1}\n\n')]);
        expect(r.frames.at(-1)?.data).toBe('{"ok":1}');
      }),
      { numRuns: 150 },
    );
  });

  it('replaces invalid UTF-8 instead of failing', async () => {
    const r = await run([new Uint8Array([...bytes('data: {"s":"'), 0xff, 0xfe, ...bytes('"}\n\n')])]);
    expect(r.frames[0]?.data).toBe('{"s":"\uFFFD\uFFFD"}');
  });

  it('gives up on a line longer than maxBufferSize instead of buffering it', async () => {
    const huge = new Uint8Array(64 * 1024).fill(0x61);
    const r = await run([bytes('data: {"before":1}\n\ndata: '), ...Array.from({ length: 40 }, () => huge)], {
      maxBufferSize: 1024 * 1024,
    });
    expect(r.frames).toEqual([{ data: '{"before":1}', eventName: 'message' }]);
    expect(r.facts.parserError).toMatch(/buffer size/i);
  });

  it('records the answer when it is not an event stream', async () => {
    const r = await run([bytes('<html><title>Sign in</title><input type="password"></html>')], {
      status: 200,
      contentType: 'text/html',
    });
    expect(r.facts.response).toMatchObject({ status: 200, contentType: 'text/html' });
    expect(r.facts.preview).toContain('password');
    expect(r.frames).toEqual([]);
  });
});
