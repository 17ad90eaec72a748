// What `annotray watch` prints: one JSON object per line with --json (for scripts and
// tests), readable lines otherwise. Events go to stdout; without --json, connection changes
// go to stderr so stdout stays a list of events.

import { describeState } from '../connection/channel-state.ts';
import type { ChannelStatus } from '../engine.ts';
import type { OcrEvent } from '../events/ocr-event.ts';
import type { Gap } from '../history/channel-history.ts';
import type { NotificationIntent } from '../policy/notification-intent.ts';
import { visibleText } from '../text/visible-text.ts';

export interface Output {
  event(event: OcrEvent): void;
  status(status: ChannelStatus): void;
  gap(channel: string, gap: Gap): void;
  notification(intent: NotificationIntent): void;
  malformed(channel: string, reason: string): void;
  replaced(channel: string, silentSince: number, at: number): void;
  /** Something about the deployment the admin should fix, said once. */
  advice(channel: string, text: string): void;
  /** The channel's history is not being kept (or was reset), or is kept again (undefined). */
  history(channel: string, problem: string | undefined): void;
}

type Write = (line: string) => void;

/** Never throws: a time no Date can hold (a listener must not throw RangeError) prints as null. */
function iso(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function jsonOutput(write: Write): Output {
  const line = (value: Record<string, unknown>) => write(`${JSON.stringify(value)}\n`);
  return {
    event: (e) =>
      line({
        kind: 'event',
        channel: e.channel,
        type: e.type,
        title: e.title,
        body: e.body,
        taskUrl: e.taskUrl ?? null,
        taskId: e.taskId ?? null,
        projectId: e.projectId ?? null,
        time: iso(e.time),
        receivedAt: iso(e.receivedAt),
        timeIsReceived: e.timeIsReceived ?? false,
        id: e.id,
        sseId: e.sseId ?? null,
        payload: e.payload,
      }),
    status: (s) => {
      const st = s.state;
      line({
        kind: 'status',
        channel: s.channel,
        state: st.kind,
        at: iso(st.since),
        ...(st.kind === 'open' ? { awaitingHeaders: st.awaitingHeaders } : {}),
        ...(st.kind === 'reconnecting'
          ? { attempt: st.attempt, nextAttemptAt: iso(st.nextAttemptAt), reason: st.reason }
          : {}),
        ...(st.kind === 'failed' ? { failure: st.failure, reason: st.reason } : {}),
      });
    },
    gap: (channel, gap) =>
      line({
        kind: 'gap',
        channel,
        id: gap.id,
        gapKind: gap.kind ?? 'down',
        from: iso(gap.from),
        to: iso(gap.to) ?? null,
        reason: gap.reason,
        count: gap.count ?? 1,
        ...(gap.downMs !== undefined ? { downMs: gap.downMs } : {}),
        resent: gap.resent ?? 0,
      }),
    notification: (n) =>
      line({ kind: 'notification', title: n.title, body: n.body, count: n.count, target: n.target }),
    malformed: (channel, reason) => line({ kind: 'malformed', channel, reason }),
    replaced: (channel, silentSince, at) =>
      line({ kind: 'replaced', channel, silentSince: iso(silentSince), at: iso(at) }),
    advice: (channel, text) => line({ kind: 'advice', channel, text }),
    history: (channel, problem) => line({ kind: 'history', channel, problem: problem ?? null }),
  };
}

function clock(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return date.toLocaleTimeString(undefined, { hour12: false });
}

/** Readable lines; every text from the wire goes through visibleText, so no byte acts on the terminal. */
export function textOutput(out: Write, err: Write): Output {
  const v = visibleText;
  /** Gap outages already told (a gap is pushed again when late events are credited to it). */
  const told = new Set<string>();
  return {
    event: (e) => {
      const body = e.body ? ` — ${v(e.body.replace(/[ \t]*\n[ \t]*/g, ' '))}` : '';
      const link = e.taskUrl ? `  ${v(e.taskUrl)}` : '';
      out(`${clock(e.time)}  ${v(e.channel)}  ${v(e.title)}${body}${link}\n`);
    },
    status: (s) => err(`${clock(Date.now())}  ${v(s.channel)}: ${v(describeState(s.state, Date.now()))}\n`),
    gap: (channel, gap) => {
      // A stall is told by the `replaced` line.
      if (gap.to === undefined || gap.kind === 'stall') return;
      const outage = `${gap.id}#${gap.count ?? 1}`;
      if (told.has(outage)) return;
      told.add(outage);
      if (told.size > 1_000) told.clear();
      const when = `${clock(gap.from)}–${clock(gap.to)}`;
      const text =
        gap.kind === 'cut'
          ? `re-subscribed after the proxy closed the quiet stream${(gap.count ?? 1) > 1 ? ` (${gap.count} times since ${clock(gap.from)})` : ''}; events sent in those moments may be missing`
          : `back after a gap ${when}; events sent then were not received`;
      err(`${clock(gap.to)}  ${v(channel)}: ${text}\n`);
    },
    notification: (n) => {
      if (n.count > 1) err(`${clock(Date.now())}  ${v(n.title)}: ${v(n.body)}\n`);
    },
    malformed: (channel, reason) =>
      err(`${clock(Date.now())}  ${v(channel)}: skipped a malformed event (${v(reason)})\n`),
    replaced: (channel, silentSince, at) =>
      err(
        `${clock(at)}  ${v(channel)}: replaced a connection silent since ${clock(silentSince)}; if it had stalled, events sent since then were not received\n`,
      ),
    advice: (channel, text) => err(`${clock(Date.now())}  ${v(channel)}: note: ${v(text)}\n`),
    history: (channel, problem) =>
      err(
        `${clock(Date.now())}  ${v(channel)}: ${problem === undefined ? 'history is saved again' : `history: ${v(problem)}`}\n`,
      ),
  };
}
