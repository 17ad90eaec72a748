import { describe, expect, it } from 'vitest';
import type { BodyChunk, ExchangeContext, ExchangeOutcome } from './exchange-outcome.ts';
import { findIdleCut, idleCheck } from './idle-checks.ts';

const context: ExchangeContext = {
  streamUrl: 'https://ls.example.com/api/notifications/events/user_42',
  eventsPath: '/api/notifications/events/{channel}',
  auth: 'none',
  waitMs: 10_000,
};
const held = { ...context, holdMs: 130_000 };

function answered(status: number, headersAfterMs: number): ExchangeOutcome {
  return {
    kind: 'response',
    hops: [],
    response: {
      url: context.streamUrl,
      status,
      statusText: '',
      headers: { 'content-type': 'text/html' },
      headersAfterMs,
      body: { kind: 'document', text: '<h1>504 Gateway Time-out</h1>' },
    },
  };
}

function stream(
  end: 'open' | 'ended' | 'broken',
  endAtMs: number,
  chunks: BodyChunk[] = [],
): ExchangeOutcome {
  return {
    kind: 'response',
    hops: [],
    response: {
      url: context.streamUrl,
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/event-stream' },
      headersAfterMs: 5,
      body: { kind: 'stream', chunks, watchedMs: endAtMs, end, ...(end === 'open' ? {} : { endAtMs }) },
    },
  };
}

describe('the idle-timeout judgement', () => {
  it.each([504, 524, 408])(
    'blames a proxy idle timeout for a %i after a silent 60 s wait, with the fix',
    (status) => {
      const check = idleCheck(answered(status, 60_200), held);
      expect(check.status).toBe('fail');
      expect(check.title).toBe(`Idle timeout: a proxy answered ${status} after 60 s of silence`);
      expect(check.fix).toContain('proxy_read_timeout');
      expect(check.fix).toContain('proxy_send_timeout');
      expect(check.fix).toContain('load balancer: its idle timeout');
      expect(check.fix).toContain('`: ping` comment every 30 s');
    },
  );

  it('does not call a 504 that came at once an idle cut', () => {
    expect(findIdleCut(answered(504, 30))).toBeUndefined();
  });

  it('reports an open stream closed after silence, with the seconds it was silent', () => {
    const outcome = stream('ended', 100_000, [{ atMs: 10, bytes: 14, text: ': connected\n\n' }]);
    const check = idleCheck(outcome, held);
    expect(check.status).toBe('fail');
    expect(check.title).toBe('Idle timeout: the stream was closed after 100 s of silence');
    expect(check.fix).toContain('proxy_read_timeout');
  });

  it('does not call a stream the server ends right after its bytes an idle cut', () => {
    expect(
      findIdleCut(stream('ended', 40, [{ atMs: 10, bytes: 14, text: ': connected\n\n' }])),
    ).toBeUndefined();
  });

  it('says the stream stayed open for the whole wait when nothing cut it', () => {
    const check = idleCheck(stream('open', 130_000), held);
    expect(check.status).toBe('ok');
    expect(check.title).toBe('Idle timeout: the stream stayed open for the whole 130 s wait');
  });

  it("says a wait shorter than Cloudflare's cut cannot rule a proxy out", () => {
    const check = idleCheck(
      { kind: 'no-headers', hops: [], url: context.streamUrl, waitedMs: 30_000 },
      { ...context, holdMs: 30_000 },
    );
    expect(check.status).toBe('ok');
    expect(check.detail).toContain('doctor --wait 130');
  });

  it('without --wait, points to it instead of claiming the stream is safe', () => {
    const check = idleCheck(stream('open', 500), context);
    expect(check.status).toBe('skip');
    expect(check.title).toContain('doctor --wait 130');
  });
});
