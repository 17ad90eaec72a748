// Judges the body of an open event stream: whether bytes flow at all (Label Studio sends no
// heartbeat, so a quiet channel is silent and looks like a stalled one), and whether something
// between server and client buffers it (Content-Length, compression, nginx without the SSE
// location block, events that arrive in one lump after a silence).

import { formatDuration } from '../format/duration.ts';
import { clipText } from '../text/clip.ts';
import { type DoctorCheck, skippedCheck } from './doctor-report.ts';
import {
  type BodyChunk,
  type ExchangeContext,
  type ExchangeOutcome,
  headerValue,
  type ObservedResponse,
} from './exchange-outcome.ts';
import { eventsPrefix } from './redirect-checks.ts';
import { HEARTBEAT_FIX } from './response-checks.ts';

export interface SseSummary {
  /** Complete frames with at least one `data` line. */
  events: number;
  /** Complete frames made of comments only (heartbeats, `: connected`). */
  comments: number;
  first?: { kind: 'event'; type?: string } | { kind: 'comment'; text: string } | { kind: 'other' };
}

/** Counts the complete frames in stream text (split on blank lines, as the WHATWG parser does). */
export function summarizeSse(text: string): SseSummary {
  const frames = text.split(/\r\n\r\n|\n\n|\r\r/);
  frames.pop(); // the text after the last blank line is not a complete frame
  const summary: SseSummary = { events: 0, comments: 0 };
  for (const frame of frames) {
    const lines = frame.split(/\r\n|\n|\r/).filter((line) => line.length > 0);
    if (lines.length === 0) continue;
    const data = lines.filter((line) => line === 'data' || line.startsWith('data:'));
    if (data.length > 0) {
      summary.events++;
      summary.first ??= { kind: 'event', type: eventType(lines, data) };
    } else if (lines.every((line) => line.startsWith(':'))) {
      summary.comments++;
      summary.first ??= { kind: 'comment', text: clipText(lines[0] ?? ':', 40) };
    } else {
      summary.first ??= { kind: 'other' };
    }
  }
  return summary;
}

/** The `event:` field, or Label Studio's `event_type` in the JSON data. */
function eventType(lines: string[], data: string[]): string | undefined {
  const field = lines.find((line) => line.startsWith('event:'));
  if (field) return field.slice(6).trim() || undefined;
  try {
    const json: unknown = JSON.parse(data.map((line) => line.replace(/^data: ?/, '')).join('\n'));
    const type =
      json !== null && typeof json === 'object' ? (json as Record<string, unknown>).event_type : undefined;
    return typeof type === 'string' ? clipText(type, 60) : undefined;
  } catch {
    return undefined;
  }
}

function describeFirst(first: SseSummary['first']): string {
  switch (first?.kind) {
    case 'comment':
      return ` The first frame was a comment (\`${first.text}\`), so a client knows at once that the stream is up.`;
    case 'event':
      return ` The first frame was an event${first.type ? ` (${first.type})` : ''}.`;
    case 'other':
      return ' The first frame had no data (an id or retry field).';
    default:
      return '';
  }
}

function streamOf(outcome: ExchangeOutcome): (ObservedResponse & { body: { kind: 'stream' } }) | undefined {
  if (outcome.kind !== 'response' || outcome.response.body.kind !== 'stream') return undefined;
  return outcome.response as ObservedResponse & { body: { kind: 'stream' } };
}

export function bodyCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  const response = streamOf(outcome);
  if (!response) return skippedCheck('body', 'no event stream was opened');
  const { chunks, end, endAtMs, encoding, watchedMs } = response.body;
  const bytes = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
  const first = chunks[0];
  const received = (() => {
    if (!first) return 'No bytes arrived.';
    if (encoding)
      return `Received ${bytes} bytes (${encoding}-compressed, not decoded) in ${chunks.length} chunk(s).`;
    const summary = summarizeSse(chunks.map((chunk) => chunk.text).join(''));
    return (
      `Received ${bytes} bytes in ${chunks.length} chunk(s) within ${formatDuration(watchedMs)}: ` +
      `${summary.events} event(s), ${summary.comments} comment(s).${describeFirst(summary.first)}`
    );
  })();

  if (end !== 'open') {
    const how = end === 'ended' ? 'ended the stream' : 'broke the connection';
    return {
      id: 'body',
      status: 'warn',
      title: `Body: the server ${how} after ${formatDuration(endAtMs ?? watchedMs)}`,
      detail:
        `${received} An event stream should stay open; Annotray reconnects when it ends, but events published in between are lost` +
        `${end === 'ended' && !first ? ', and a stream that ends at once makes clients reconnect in a tight loop' : ''}.`,
      fix:
        'Look in the server log for an exception in the stream view or a worker timeout (gunicorn --timeout kills long requests); ' +
        `proxies need long read timeouts for ${eventsPrefix(context.eventsPath)} (nginx: proxy_read_timeout 24h).`,
    };
  }
  if (!first) {
    return {
      id: 'body',
      status: 'warn',
      title: `Body: no bytes within ${formatDuration(watchedMs)} after the headers: no heartbeat`,
      detail:
        'The stream is open but silent. That is normal for a quiet channel on a server without heartbeats (Label Studio sends none), ' +
        'but a silent stream looks exactly like a stalled one, and proxies and NAT routers drop idle connections.',
      fix: HEARTBEAT_FIX,
    };
  }
  return {
    id: 'body',
    status: 'ok',
    title: `Body: first bytes after ${formatDuration(first.atMs)}`,
    detail: received,
  };
}

/** Events that arrive together after a silence this long were probably held back by a buffer. */
export function lumpSilenceMs(waitMs: number): number {
  return Math.min(2_000, Math.max(250, waitMs / 4));
}

export interface Lump {
  /** When the lump arrived, after the headers. */
  atMs: number;
  /** How long the stream was silent before it. */
  silenceMs: number;
  events: number;
}

/** The first chunk that carries two or more events after a long silence, if any. */
export function findLump(chunks: readonly BodyChunk[], silenceMs: number): Lump | undefined {
  let previous = 0;
  for (const chunk of chunks) {
    const gap = chunk.atMs - previous;
    previous = chunk.atMs;
    if (gap < silenceMs) continue;
    const events = summarizeSse(chunk.text).events;
    if (events >= 2) return { atMs: chunk.atMs, silenceMs: gap, events };
  }
  return undefined;
}

interface Finding {
  title: string;
  detail: string;
  fix: string;
}

export function bufferingCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  const response = streamOf(outcome);
  if (!response) return skippedCheck('buffering', 'no event stream was opened');
  const { headers } = response;
  const location = eventsPrefix(context.eventsPath);
  const findings: Finding[] = [];

  const length = headerValue(headers, 'content-length');
  if (length !== undefined) {
    findings.push({
      title: `Content-Length: ${length} on an event stream`,
      detail:
        `The stream carries Content-Length: ${length}. A stream has no length: something (a proxy or middleware) ` +
        'collected the response before sending it, or clients wait for that many bytes.',
      fix: 'Send the stream without Content-Length (chunked): turn off response buffering in the proxy and middleware for the events path.',
    });
  }
  const encoding = headerValue(headers, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') {
    findings.push({
      title: `the stream is compressed (Content-Encoding: ${encoding})`,
      detail:
        `The stream is sent with Content-Encoding: ${encoding}. Compressors collect bytes until a block is full, ` +
        'so events arrive late and in lumps.',
      fix:
        'Do not compress text/event-stream: in nginx take it out of gzip_types (or set gzip off in the events location); ' +
        'exclude the events view from any compression middleware.',
    });
  }
  const server = headerValue(headers, 'server');
  const accel = headerValue(headers, 'x-accel-buffering');
  const cache = headerValue(headers, 'cache-control');
  if (
    server &&
    /nginx/i.test(server) &&
    accel?.trim().toLowerCase() !== 'no' &&
    !/no-cache/i.test(cache ?? '')
  ) {
    findings.push({
      title: 'nginx without the SSE location settings',
      detail:
        `The answer comes through ${server}, but carries neither X-Accel-Buffering: no nor Cache-Control: no-cache, which the ` +
        'SSE location block adds. That block probably does not apply to this path, and nginx buffers proxied responses by default.',
      fix:
        `Add to nginx: location ${location} { proxy_pass …; proxy_http_version 1.1; proxy_buffering off; proxy_cache off; ` +
        'proxy_read_timeout 24h; add_header Cache-Control no-cache; add_header X-Accel-Buffering no; } ' +
        '(or have the app send X-Accel-Buffering: no).',
    });
  }
  const lump = response.body.encoding
    ? undefined
    : findLump(response.body.chunks, lumpSilenceMs(context.waitMs));
  if (lump) {
    findings.push({
      title: `${lump.events} events arrived in one lump after ${formatDuration(lump.silenceMs)} of silence`,
      detail:
        `${lump.events} events arrived together in one chunk ${formatDuration(lump.atMs)} after the headers` +
        `${lump.silenceMs < lump.atMs ? `, after ${formatDuration(lump.silenceMs)} of silence` : ', with nothing before them'}: ` +
        'a proxy (or compression) probably held them back. (A server that publishes a burst at once looks the same: run doctor again to be sure.)',
      fix: `Turn off buffering for the events path: nginx: proxy_buffering off; in location ${location}, or send X-Accel-Buffering: no.`,
    });
  }

  const [only] = findings;
  if (only && findings.length === 1) {
    return { id: 'buffering', status: 'warn', title: `Buffering: ${only.title}`, ...pick(only) };
  }
  if (findings.length > 1) {
    return {
      id: 'buffering',
      status: 'warn',
      title: `Buffering: ${findings.length} signs: ${findings.map((finding) => finding.title).join('; ')}`,
      detail: findings.map((finding) => `- ${finding.detail}`).join('\n'),
      fix: findings.map((finding) => `- ${finding.fix}`).join('\n'),
    };
  }
  const first = response.body.chunks[0];
  return {
    id: 'buffering',
    status: 'ok',
    title: 'Buffering: no sign of it',
    detail: first
      ? `Bytes flowed: the first arrived ${formatDuration(first.atMs)} after the headers, in ${response.body.chunks.length} chunk(s).`
      : 'No bytes arrived during the wait, so the timing could not be observed. To check for buffering, publish an event on ' +
        'this channel (for example, assign a task) while doctor runs.',
  };
}

function pick(finding: Finding): { detail: string; fix: string } {
  return { detail: finding.detail, fix: finding.fix };
}
