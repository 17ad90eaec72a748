import { describe, expect, it } from 'vitest';
import type {
  BodyChunk,
  ExchangeContext,
  ExchangeOutcome,
  ObservedBody,
  ResponseHeaders,
} from './exchange-outcome.ts';
import { bodyCheck, bufferingCheck, findLump, lumpSilenceMs, summarizeSse } from './stream-checks.ts';

const STREAM = 'http://ls.example.com/api/notifications/events/user_42';
const context: ExchangeContext = {
  streamUrl: STREAM,
  eventsPath: '/api/notifications/events/{channel}',
  auth: 'token',
  waitMs: 10_000,
};
const SSE = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function chunk(atMs: number, text: string): BodyChunk {
  return { atMs, bytes: Buffer.byteLength(text), text };
}

function stream(
  chunks: BodyChunk[],
  headers: ResponseHeaders = SSE,
  body: Partial<ObservedBody & { kind: 'stream' }> = {},
): ExchangeOutcome {
  return {
    kind: 'response',
    hops: [],
    response: {
      url: STREAM,
      status: 200,
      statusText: 'OK',
      headers,
      headersAfterMs: 3,
      body: { kind: 'stream', chunks, watchedMs: 10_000, end: 'open', ...body },
    },
  };
}

const event = (type: string): string => `data: {"event_type":"${type}","task_id":7}\n\n`;

describe('summarizeSse', () => {
  it('counts complete events and comment frames, and names the first', () => {
    expect(summarizeSse(`: connected\n\n${event('ocr.task.assigned')}data: partial`)).toEqual({
      events: 1,
      comments: 1,
      first: { kind: 'comment', text: ': connected' },
    });
    expect(summarizeSse(`event: ping\r\ndata: 1\r\n\r\nretry: 5\r\n\r\n`)).toEqual({
      events: 1,
      comments: 0,
      first: { kind: 'event', type: 'ping' },
    });
    expect(summarizeSse(event('ocr.batch.processed')).first).toEqual({
      kind: 'event',
      type: 'ocr.batch.processed',
    });
    expect(summarizeSse('data: no end')).toEqual({ events: 0, comments: 0 });
  });

  it('clips what it quotes by the one clipping rule, marking the cut', () => {
    const comment = `: ${'😀'.repeat(50)}\n\n`;
    expect(summarizeSse(comment).first).toEqual({ kind: 'comment', text: `: ${'😀'.repeat(37)}…` });
    expect(summarizeSse(event('x'.repeat(100))).first).toEqual({ kind: 'event', type: `${'x'.repeat(59)}…` });
  });
});

describe('findLump', () => {
  it('finds several events in one chunk after a long silence', () => {
    const lump = findLump([chunk(0, ': hi\n\n'), chunk(3_000, event('a') + event('b') + event('c'))], 2_000);
    expect(lump).toEqual({ atMs: 3_000, silenceMs: 3_000, events: 3 });
  });

  it('ignores single late events and quick bursts', () => {
    expect(findLump([chunk(3_000, event('a'))], 2_000)).toBeUndefined();
    expect(findLump([chunk(10, event('a') + event('b'))], 2_000)).toBeUndefined();
  });

  it('scales the silence with the wait, within bounds', () => {
    expect(lumpSilenceMs(10_000)).toBe(2_000);
    expect(lumpSilenceMs(2_000)).toBe(500);
    expect(lumpSilenceMs(100)).toBe(250);
  });
});

describe('bodyCheck', () => {
  it('reports the first-byte time and what arrived', () => {
    const check = bodyCheck(
      stream([chunk(4, ': connected\n\n'), chunk(200, event('ocr.task.assigned'))], SSE, { watchedMs: 700 }),
      context,
    );
    expect(check.status).toBe('ok');
    expect(check.title).toBe('Body: first bytes after 4 ms');
    expect(check.detail).toContain('1 event(s), 1 comment(s)');
    expect(check.detail).toContain('The first frame was a comment (`: connected`)');
  });

  it('warns about a silent stream with the heartbeat fix', () => {
    const check = bodyCheck(stream([]), context);
    expect(check.status).toBe('warn');
    expect(check.title).toBe('Body: no bytes within 10 s after the headers: no heartbeat');
    expect(check.fix).toContain('every 30 s');
  });

  it('warns when the server ends or breaks the stream', () => {
    const ended = bodyCheck(stream([], SSE, { end: 'ended', endAtMs: 15 }), context);
    expect(ended.title).toBe('Body: the server ended the stream after 15 ms');
    expect(ended.detail).toContain('tight loop');
    const broken = bodyCheck(stream([chunk(1, event('a'))], SSE, { end: 'broken', endAtMs: 40 }), context);
    expect(broken.title).toBe('Body: the server broke the connection after 40 ms');
  });

  it('does not decode compressed streams', () => {
    const check = bodyCheck(stream([{ atMs: 1, bytes: 30, text: '' }], SSE, { encoding: 'gzip' }), context);
    expect(check.detail).toContain('30 bytes (gzip-compressed, not decoded)');
  });

  it('is skipped when no stream was opened', () => {
    expect(bodyCheck({ kind: 'no-headers', hops: [], url: STREAM, waitedMs: 1 }, context).status).toBe(
      'skip',
    );
  });
});

describe('bufferingCheck', () => {
  it('finds no sign of buffering on a clean stream and says what it observed', () => {
    const flowing = bufferingCheck(stream([chunk(2, ': hi\n\n')]), context);
    expect(flowing).toMatchObject({ status: 'ok', title: 'Buffering: no sign of it' });
    expect(flowing.detail).toContain('the first arrived 2 ms after the headers');
    expect(bufferingCheck(stream([]), context).detail).toContain('publish an event');
  });

  it('warns about Content-Length on a stream', () => {
    const check = bufferingCheck(stream([], { ...SSE, 'content-length': '4096' }), context);
    expect(check).toMatchObject({
      status: 'warn',
      title: 'Buffering: Content-Length: 4096 on an event stream',
    });
  });

  it('warns about compression', () => {
    const check = bufferingCheck(stream([], { ...SSE, 'content-encoding': 'gzip' }), context);
    expect(check.title).toBe('Buffering: the stream is compressed (Content-Encoding: gzip)');
    expect(check.fix).toContain('gzip_types');
  });

  it('warns about nginx without the SSE location headers, but not with them', () => {
    const bare = bufferingCheck(
      stream([], { 'content-type': 'text/event-stream', server: 'nginx/1.22.1' }),
      context,
    );
    expect(bare.title).toBe('Buffering: nginx without the SSE location settings');
    expect(bare.fix).toContain('location /api/notifications/events/');
    expect(bare.fix).toContain('proxy_buffering off');
    const accel = bufferingCheck(
      stream([], { 'content-type': 'text/event-stream', server: 'nginx', 'x-accel-buffering': 'no' }),
      context,
    );
    expect(accel.status).toBe('ok');
    expect(bufferingCheck(stream([], { ...SSE, server: 'nginx' }), context).status).toBe('ok');
  });

  it('warns about events in one lump after a silence', () => {
    const check = bufferingCheck(stream([chunk(3_000, event('a') + event('b'))]), context);
    expect(check.title).toBe('Buffering: 2 events arrived in one lump after 3.0 s of silence');
    expect(check.fix).toContain('proxy_buffering off');
  });

  it('lists every sign when there are several', () => {
    const check = bufferingCheck(
      stream([], { ...SSE, 'content-length': '10', 'content-encoding': 'br' }),
      context,
    );
    expect(check.title).toMatch(
      /^Buffering: 2 signs: Content-Length: 10 on an event stream; the stream is compressed/,
    );
    expect(check.fix?.split('\n')).toHaveLength(2);
  });
});
