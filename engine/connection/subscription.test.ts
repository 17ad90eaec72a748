// The real Subscription (the eventsource package, our tap and retry scanner) over a fake
// HTTP answer: framing, split chunks, named events, ids, and hostile bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameKey, MAX_KEY_ID_CHARS, type RawFrame } from '../events/normalize.ts';
import { Authorizer } from './auth.ts';
import type { AttemptFacts } from './failure.ts';
import {
  type AttemptRequest,
  lastEventIdHeader,
  MAX_LAST_EVENT_ID_CHARS,
  Subscription,
} from './subscription.ts';

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
        ended: (s, facts) => resolve({ frames, facts, requests, retry: s.retryMs }),
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

  it('delivers any event name and any id as data, with a header undici accepts and a bounded key', async () => {
    // Names and ids cannot hold CR/LF (they end the line) and ids with NUL are ignored by the spec.
    const field = fc.string({ unit: 'binary', maxLength: 2000 }).map((t) => t.replace(/[\r\n\0]/g, '_'));
    await fc.assert(
      fc.asyncProperty(field, field, async (name, id) => {
        const r = await run([bytes(`event:${name}\nid:${id}\ndata: {"a":1}\n\ndata: {"ok":1}\n\n`)]);
        const data = r.frames.filter((f) => f.skipped === undefined);
        expect(data.map((f) => f.data)).toEqual(['{"a":1}', '{"ok":1}']);
        expect(data[0]?.eventName).toBe(name.replace(/^ /, '') || 'message');
        const header = lastEventIdHeader(data[0]?.sseId);
        if (header !== undefined) expect(() => new Headers({ 'Last-Event-ID': header })).not.toThrow();
        expect(frameKey(data[0] ?? { data: '' }, 's', 'c').length).toBeLessThan(MAX_KEY_ID_CHARS + 80);
      }),
      { numRuns: 150 },
    );
  });

  it('replaces invalid UTF-8 instead of failing', async () => {
    const r = await run([new Uint8Array([...bytes('data: {"s":"'), 0xff, 0xfe, ...bytes('"}\n\n')])]);
    expect(r.frames[0]?.data).toBe('{"s":"\uFFFD\uFFFD"}');
  });

  it('skips an event longer than maxBufferSize, reports its size, and delivers the next on the same stream', async () => {
    const huge = new Uint8Array(64 * 1024).fill(0x61);
    const r = await run(
      [
        bytes('data: {"before":1}\n\ndata: '),
        ...Array.from({ length: 40 }, () => huge),
        bytes('\n\ndata: {"after":1}\n\n'),
      ],
      { maxBufferSize: 1024 * 1024 },
    );
    expect(r.frames).toEqual([
      { data: '{"before":1}', eventName: 'message' },
      { data: '', skipped: 'an event of 2.5 MB is larger than the 1.0 MB limit' },
      { data: '{"after":1}', eventName: 'message' },
    ]);
    expect(r.facts.parserError).toBeUndefined();
    expect(r.facts.ended).toBe(true);
  });

  it('bounds an event of many data lines without a blank line like one oversized line', async () => {
    const line = bytes(`data: ${'b'.repeat(1000)}\n`);
    const r = await run([...Array.from({ length: 3000 }, () => line), bytes('\ndata: {"after":1}\n\n')], {
      maxBufferSize: 1024 * 1024,
    });
    expect(r.frames.map((f) => f.skipped ?? f.data)).toEqual([
      'an event of 2.9 MB is larger than the 1.0 MB limit',
      '{"after":1}',
    ]);
  });

  it('delivers server events named error and open as data and keeps the stream', async () => {
    const r = await run([
      bytes('event: error\ndata: {"a":1}\n\nevent: open\ndata: {"b":2}\n\ndata: {"c":3}\n\n'),
    ]);
    expect(r.frames).toEqual([
      { data: '{"a":1}', eventName: 'error' },
      { data: '{"b":2}', eventName: 'open' },
      { data: '{"c":3}', eventName: 'message' },
    ]);
    expect(r.facts.ended).toBe(true);
  });

  it('sends an id above U+00FF back as its UTF-8 bytes, as the spec says', () => {
    expect(Buffer.from(lastEventIdHeader('é✓😀') ?? '', 'latin1').toString('utf8')).toBe('é✓😀');
    expect(lastEventIdHeader('é')).toBe('\u00c3\u00a9');
  });

  it('does not send back an id longer than the stated limit, and says so once', async () => {
    const long = 'i'.repeat(MAX_LAST_EVENT_ID_CHARS + 1);
    expect(lastEventIdHeader(long)).toBeUndefined();
    const r = await run([bytes(`id: ${long}\ndata: {"a":1}\n\nid: ${long}2\ndata: {"a":2}\n\n`)]);
    expect(r.frames.map((f) => f.skipped ?? f.data)).toEqual([
      `an id of ${MAX_LAST_EVENT_ID_CHARS + 1} characters is longer than ${MAX_LAST_EVENT_ID_CHARS}: it is kept for dedupe (hashed) but not sent back as Last-Event-ID`,
      '{"a":1}',
      '{"a":2}',
    ]);
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
