// Judges whether something between the server and the client closes quiet streams: nginx's
// default proxy_read_timeout (60 s), an AWS load balancer's idle timeout (60 s), Cloudflare
// (~100–125 s, 524). Label Studio sends no heartbeat and Daphne no headers until the first
// event, so behind such a proxy a quiet channel gets a 504 or a closed stream every T seconds.
// Only `doctor --wait SECONDS` holds the stream long enough to see it; the judging is pure.

import { MIN_IDLE_CUT_MS, TIMEOUT_STATUSES } from '../connection/idle-cut.ts';
import { type DoctorCheck, skippedCheck } from './doctor-report.ts';
import type { ExchangeContext, ExchangeOutcome } from './exchange-outcome.ts';
import { eventsPrefix } from './redirect-checks.ts';

/** A cut after less silence is the server's doing (it ends at once): the engine's own line. */
export const IDLE_CUT_MIN_MS = MIN_IDLE_CUT_MS;
/** Long enough to outwait Cloudflare's ~125 s: what a bare `--wait` holds the stream for. */
export const FULL_HOLD_SECONDS = 130;

export type IdleCut =
  /** The proxy answered a timeout status after waiting `afterMs` for held-back headers. */
  | { kind: 'status'; status: number; afterMs: number }
  /** The stream was open and was closed after `silentMs` without a byte (`afterMs` from the request). */
  | { kind: 'closed'; afterMs: number; silentMs: number };

export function wholeSeconds(ms: number): string {
  return `${Math.round(ms / 1_000)} s`;
}

/** The idle cut the exchange shows, if any. */
export function findIdleCut(outcome: ExchangeOutcome): IdleCut | undefined {
  if (outcome.kind !== 'response') return undefined;
  const { status, headersAfterMs, body } = outcome.response;
  if (TIMEOUT_STATUSES.has(status) && headersAfterMs >= IDLE_CUT_MIN_MS)
    return { kind: 'status', status, afterMs: headersAfterMs };
  if (body.kind !== 'stream' || body.end === 'open' || body.endAtMs === undefined) return undefined;
  const lastByte = body.chunks.at(-1)?.atMs ?? 0;
  const silentMs = body.endAtMs - lastByte;
  if (silentMs < IDLE_CUT_MIN_MS) return undefined;
  return { kind: 'closed', afterMs: headersAfterMs + body.endAtMs, silentMs };
}

export function idleFix(eventsPath: string): string {
  const location = eventsPrefix(eventsPath);
  return (
    `Raise the idle timeout of every proxy in front of ${location}: nginx: proxy_read_timeout 24h; proxy_send_timeout 24h; ` +
    `in location ${location}; an AWS load balancer: its idle timeout (up to 4000 s); Cloudflare cannot be raised on most plans. ` +
    'Or have the server send a `: ping` comment every 30 s while a channel is quiet, which keeps every idle timer from running out.'
  );
}

function describeCut(cut: IdleCut): { title: string; detail: string } {
  if (cut.kind === 'status') {
    return {
      title: `Idle timeout: a proxy answered ${cut.status} after ${wholeSeconds(cut.afterMs)} of silence`,
      detail:
        `The server held back its headers (a quiet channel) and after ${wholeSeconds(cut.afterMs)} a proxy gave up and answered ${cut.status}. ` +
        'Behind it a quiet channel is cut at that cadence all day; Annotray re-subscribes at once, but an event published during a cut is lost.',
    };
  }
  return {
    title: `Idle timeout: the stream was closed after ${wholeSeconds(cut.silentMs)} of silence`,
    detail:
      `The stream was open and quiet, and was closed ${wholeSeconds(cut.afterMs)} after the request, with nothing received for ${wholeSeconds(cut.silentMs)}: ` +
      'a proxy (or the server) closes idle streams. Annotray re-subscribes at once, but an event published during a cut is lost.',
  };
}

/**
 * The idle-timeout check. With `context.holdMs` (doctor --wait) the stream was held open for
 * that long, so a stream still open at the end is a finding too; without it, only a cut that
 * happened within the ordinary wait is reported.
 */
export function idleCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  const cut = findIdleCut(outcome);
  if (cut) return { id: 'idle', status: 'fail', ...describeCut(cut), fix: idleFix(context.eventsPath) };
  const held =
    outcome.kind === 'no-headers' ||
    (outcome.kind === 'response' &&
      outcome.response.body.kind === 'stream' &&
      outcome.response.body.end === 'open');
  if (context.holdMs === undefined)
    return skippedCheck(
      'idle',
      `run doctor --wait ${FULL_HOLD_SECONDS} to see whether a proxy closes quiet streams`,
    );
  if (!held) return skippedCheck('idle', 'the stream was not held open');
  const short = context.holdMs < FULL_HOLD_SECONDS * 1_000;
  return {
    id: 'idle',
    status: 'ok',
    title: `Idle timeout: the stream stayed open for the whole ${wholeSeconds(context.holdMs)} wait`,
    detail:
      `No proxy closed the stream within ${wholeSeconds(context.holdMs)}.` +
      (short
        ? ` nginx's default and AWS load balancers cut after 60 s, Cloudflare after about 100–125 s: a shorter wait cannot rule them out (run doctor --wait ${FULL_HOLD_SECONDS}).`
        : ''),
  };
}
