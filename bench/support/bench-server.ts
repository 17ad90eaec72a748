// The plain Node SSE server the benchmarks publish through: the integration tests' server
// (test/support/sse-test-server.ts) serving Label Studio's events path, sending frames in the
// shape Label Studio's Daphne stream sends them (`data: {context}\n\n`, no `id:`, a naive ISO
// `message_time`), each stamped with the moment it was written so a client process can
// measure the latency on the shared monotonic clock.

import { type SseTestServer, startSseTestServer } from '../../test/support/sse-test-server.ts';
import { nowUs, sleep } from './stamp.ts';

export interface BenchServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly server: SseTestServer;
  /** The URL path Annotray requests for a channel by default. */
  path(channel: string): string;
  /** Serves these channels as open streams (headers at once, unless `holdHeaders` like Daphne). */
  serve(channels: readonly string[], options?: { holdHeaders?: boolean }): void;
  /** Stamps the context with `bench_sent_us` and writes it to every stream of the channel; returns the stamp. */
  publish(channel: string, context: Record<string, unknown>): number;
  close(): Promise<void>;
}

export const EVENTS_PATH = '/api/notifications/events/';

const TYPES = [
  'ocr.task.assigned',
  'ocr.annotation.started',
  'ocr.annotation.completed',
  'ocr.batch.processed',
] as const;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `datetime.fromtimestamp(t).isoformat()` as Daphne sends it: local wall time, microseconds, no zone. */
export function naiveIsoNow(): string {
  const d = new Date();
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`
  );
}

/**
 * A notification context like those an OCR deployment of Label Studio publishes (about 330
 * bytes of JSON), unique per `seq` so content-based deduplication never drops one.
 */
export function ocrContext(seq: number): Record<string, unknown> {
  const type = TYPES[seq % TYPES.length] ?? TYPES[0];
  const document = `scan_${String(seq).padStart(6, '0')}.pdf`;
  return {
    event_type: type,
    subject: type === 'ocr.batch.processed' ? `Batch ${Math.floor(seq / 100)}` : 'OCR task update',
    message: `Document '${document}' is ready for annotation in project Invoices 2026`,
    task_id: 100_000 + seq,
    project_id: 3,
    document_name: document,
    user: 'annotator@example.com',
    ...(type === 'ocr.annotation.started'
      ? { progress: { regions_completed: seq % 12, total_regions: 12 } }
      : {}),
    bench_seq: seq,
  };
}

export async function startBenchServer(): Promise<BenchServer> {
  const server = await startSseTestServer();
  const path = (channel: string): string => `${EVENTS_PATH}${encodeURIComponent(channel)}`;
  return {
    url: server.url,
    server,
    path,
    serve(channels, options = {}) {
      for (const channel of channels) {
        server.route(path(channel), {
          kind: 'stream',
          ...(options.holdHeaders ? { holdHeaders: true } : {}),
        });
      }
    },
    publish(channel, context) {
      const sentUs = nowUs();
      server.send(
        path(channel),
        `data: ${JSON.stringify({ ...context, message_time: naiveIsoNow(), bench_sent_us: sentUs })}\n\n`,
      );
      return sentUs;
    },
    close: () => server.close(),
  };
}

export interface PaceResult {
  readonly sent: number;
  readonly firstUs: number;
  readonly lastUs: number;
}

/**
 * Calls `send(i)` for i = 0..total-1 at `perSecond`, on absolute times so timer jitter does not
 * accumulate (a late tick sends what is due). Bounded: stops at `maxMs` even if not done.
 */
export async function pace(
  total: number,
  perSecond: number,
  send: (i: number) => void,
  maxMs = (total / perSecond) * 3_000 + 5_000,
): Promise<PaceResult> {
  const start = nowUs();
  const deadline = start + maxMs * 1_000;
  let sent = 0;
  let lastUs = start;
  while (sent < total) {
    const now = nowUs();
    if (now > deadline) break;
    const due = Math.min(total, Math.floor(((now - start) / 1e6) * perSecond) + 1);
    for (; sent < due; sent += 1) send(sent);
    lastUs = nowUs();
    if (sent < total) await sleep(1);
  }
  return { sent, firstUs: start, lastUs };
}
