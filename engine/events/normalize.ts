// One SSE frame (or WebSocket message) → one typed OcrEvent, or a reason it was skipped.
// Payloads come from the network: every field is checked for its type before use, the
// original is kept for the detail view, and nothing here can throw on any input.

import { hash } from 'node:crypto';
import { clip, describeEvent } from './describe.ts';
import { parseEventTime } from './event-time.ts';
import { knownEventType, type OcrEvent, type Progress } from './ocr-event.ts';
import { buildTaskUrl, parseId } from './task-link.ts';

export interface RawFrame {
  readonly data: string;
  /** SSE `event:` name; `message` when absent. */
  readonly eventName?: string;
  /** SSE `id:` (the last event id), when the server sends ids. */
  readonly sseId?: string;
  /** Set when the connection dropped something (an oversized event): why, for the user. */
  readonly skipped?: string;
}

export interface FrameContext {
  readonly serverId: string;
  readonly serverUrl: string;
  readonly channel: string;
  readonly taskUrlTemplate: string;
  readonly receivedAt: number;
  /** `serverId/channel`, when the caller keeps it (one string per channel, not per event). */
  readonly channelKey?: string;
}

export type NormalizeResult =
  | { readonly ok: true; readonly event: OcrEvent }
  | { readonly ok: false; readonly reason: string };

function text(value: unknown, max: number): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? clip(value, max) : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function finite(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Label Studio sends {regions_completed, total_regions}; others send 0..1, 0..100, {done,total} or "3/10". */
export function parseProgress(value: unknown): Progress | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const done = finite(v.regions_completed ?? v.done ?? v.completed ?? v.current);
    const total = finite(v.total_regions ?? v.total);
    if (done !== undefined && total !== undefined && total > 0 && done >= 0) {
      return { done, total, ratio: Math.min(1, done / total) };
    }
    const ratio = finite(v.ratio ?? v.percent);
    return ratio === undefined ? undefined : parseProgress(ratio);
  }
  if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
    if (m) return parseProgress({ done: Number(m[1]), total: Number(m[2]) });
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (pct) return parseProgress(Number(pct[1]) / 100);
  }
  const n = finite(value);
  if (n === undefined || n < 0) return undefined;
  if (n <= 1) return { ratio: n };
  if (n <= 100) return { ratio: n / 100 };
  return undefined;
}

/**
 * The dedupe identity of a frame. Without an SSE id (Label Studio): its content, within the
 * server, so overlapping channels share it. With an id: the id and the content within the
 * channel — a replay resends both unchanged, while a restarted server that numbers from 1
 * again sends old ids with new content, which must not be dropped.
 */
export function frameKey(frame: RawFrame, serverId: string, channel: string): string {
  const content = contentHash(`${frame.eventName ?? 'message'}\n${frame.data}`);
  if (frame.sseId) return `${serverId}/${channel}#${boundedId(frame.sseId)}#${content}`;
  return `${serverId}#${content}`;
}

/** Ids longer than this are stood for by their hash in dedupe keys. */
export const MAX_KEY_ID_CHARS = 256;

/**
 * V8 hashes a string longer than ~16 K characters by its length alone, so a Set of 20 KB ids
 * of one length degrades to a list (one core pinned). A long id is stood for by its hash.
 */
function boundedId(id: string): string {
  return id.length > MAX_KEY_ID_CHARS ? `h:${contentHash(id)}` : id;
}

/** A content fingerprint for dedupe: sha1 in base64url (native hashing beat a JS hash 6× here). */
export function contentHash(text: string): string {
  return hash('sha1', text, 'base64url');
}

export function normalizeFrame(frame: RawFrame, context: FrameContext): NormalizeResult {
  if (frame.skipped !== undefined) return { ok: false, reason: frame.skipped };
  let payload: unknown;
  try {
    payload = JSON.parse(frame.data);
  } catch {
    return { ok: false, reason: `not JSON: ${clip(frame.data.replace(/\s+/g, ' '), 80)}` };
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return {
      ok: false,
      reason: `not a JSON object (${payload === null ? 'null' : Array.isArray(payload) ? 'array' : typeof payload})`,
    };
  }
  const p = payload as Record<string, unknown>;
  const eventName = frame.eventName && frame.eventName !== 'message' ? frame.eventName : undefined;
  let type = text(p.event_type, 100) ?? eventName ?? 'message';
  const canonical = knownEventType(type);
  // A known type is held as the one shared constant, in the event and in its payload.
  if (canonical !== undefined) {
    if (p.event_type === type) p.event_type = canonical;
    type = canonical;
  }
  const serverTime = parseEventTime(p.message_time);
  const event = new LiveEvent(
    frameKey(frame, context.serverId, context.channel),
    context.channelKey ?? `${context.serverId}/${context.channel}`,
    context,
    type,
    canonical !== undefined,
    text(p.subject, 500),
    text(p.message, 5000),
    text(p.user, 100),
    parseId(p.task_id),
    parseId(p.project_id),
    text(p.document_name, 500),
    parseProgress(p.progress),
    serverTime ?? context.receivedAt,
    serverTime === undefined,
    frame.sseId || undefined,
    p,
  );
  return { ok: true, event };
}

/**
 * An event as the engine keeps it: the facts from the payload, and the wording and task link
 * derived from them when read (the list shows a few hundred, a notification one; a burst of
 * 10,000 kept events need not hold 10,000 titles and links). It reads like a plain OcrEvent,
 * and toJSON gives exactly the object a plain event was, so stored histories do not change.
 */
export class LiveEvent implements OcrEvent {
  readonly id: string;
  readonly channelKey: string;
  readonly serverId: string;
  readonly channel: string;
  readonly type: string;
  readonly known: boolean;
  readonly subject: string | undefined;
  readonly message: string | undefined;
  readonly user: string | undefined;
  readonly taskId: number | undefined;
  readonly projectId: number | undefined;
  readonly documentName: string | undefined;
  readonly progress: Progress | undefined;
  readonly time: number;
  readonly receivedAt: number;
  readonly timeIsReceived: boolean;
  readonly sseId: string | undefined;
  readonly payload: unknown;
  /** Where the task link comes from: the channel's template and server (shared, never per event). */
  readonly #link: { readonly taskUrlTemplate: string; readonly serverUrl: string };

  constructor(
    id: string,
    channelKey: string,
    context: FrameContext,
    type: string,
    known: boolean,
    subject: string | undefined,
    message: string | undefined,
    user: string | undefined,
    taskId: number | undefined,
    projectId: number | undefined,
    documentName: string | undefined,
    progress: Progress | undefined,
    time: number,
    timeIsReceived: boolean,
    sseId: string | undefined,
    payload: unknown,
  ) {
    this.id = id;
    this.channelKey = channelKey;
    this.serverId = context.serverId;
    this.channel = context.channel;
    this.type = type;
    this.known = known;
    this.subject = subject;
    this.message = message;
    this.user = user;
    this.taskId = taskId;
    this.projectId = projectId;
    this.documentName = documentName;
    this.progress = progress;
    this.time = time;
    this.receivedAt = context.receivedAt;
    this.timeIsReceived = timeIsReceived;
    this.sseId = sseId;
    this.payload = payload;
    this.#link = context;
  }

  get title(): string {
    return describeEvent(this, this.known).title;
  }

  get body(): string {
    return describeEvent(this, this.known).body;
  }

  get taskUrl(): string | undefined {
    const payload = this.payload as Record<string, unknown>;
    return buildTaskUrl(this.#link.taskUrlTemplate, this.#link.serverUrl, {
      task_id: this.taskId,
      project_id: this.projectId,
      user: payload.user,
    });
  }

  /** The plain event, field for field as normalizeFrame built it before events were lazy. */
  toJSON(): OcrEvent {
    const { title, body } = describeEvent(this, this.known);
    return {
      id: this.id,
      channelKey: this.channelKey,
      serverId: this.serverId,
      channel: this.channel,
      type: this.type,
      known: this.known,
      title,
      body,
      subject: this.subject,
      message: this.message,
      user: this.user,
      taskId: this.taskId,
      projectId: this.projectId,
      documentName: this.documentName,
      progress: this.progress,
      time: this.time,
      receivedAt: this.receivedAt,
      timeIsReceived: this.timeIsReceived,
      taskUrl: this.taskUrl,
      sseId: this.sseId,
      payload: this.payload,
    };
  }
}

/** An event as a plain object (for stores that copy rather than serialize, and for the window). */
export function plainEvent(event: OcrEvent): OcrEvent {
  return event instanceof LiveEvent ? event.toJSON() : event;
}
