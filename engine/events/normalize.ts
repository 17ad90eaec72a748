// One SSE frame (or WebSocket message) → one typed OcrEvent, or a reason it was skipped.
// Payloads come from the network: every field is checked for its type before use, the
// original is kept for the detail view, and nothing here can throw on any input.

import { hash } from 'node:crypto';
import { clipLine, clipText } from '../text/clip.ts';
import { describeEvent } from './describe.ts';
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
  if (typeof value === 'string') return value.length > 0 ? clipText(value, max) : undefined;
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
  const content = frameHash(frame.eventName ?? 'message', frame.data);
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

/** Where a frame's name and data are encoded for hashing: reused, so no event allocates it. */
let hashInput = Buffer.allocUnsafe(16 * 1024);
/** Frames up to this size (in UTF-16 units; the buffer holds three bytes per unit) use the buffer. */
const MAX_BUFFERED_HASH_UNITS = 1024 * 1024;

/**
 * contentHash(`${eventName}\n${data}`), the id every stored history was written with, without
 * building that string: joining the two copied the whole frame into a new string for every
 * event (a third of all the engine allocated per event, and garbage the collector then had
 * to sweep). The UTF-8 bytes go into one reused buffer instead; the digest is the same.
 */
export function frameHash(eventName: string, data: string): string {
  const units = eventName.length + 1 + data.length;
  if (units > MAX_BUFFERED_HASH_UNITS) return contentHash(`${eventName}\n${data}`);
  if (units * 3 > hashInput.length) hashInput = Buffer.allocUnsafe(units * 3);
  let end = hashInput.write(eventName, 0, 'utf8');
  end = hashInput.writeUInt8(0x0a, end);
  end += hashInput.write(data, end, 'utf8');
  return hash('sha1', hashInput.subarray(0, end), 'base64url');
}

/** Short payload strings that repeat (a channel's user, a type's subject), one copy of each. */
const REPEATED = new Map<string, string>();

function repeated(value: string): string {
  if (value.length > 100) return value;
  const known = REPEATED.get(value);
  if (known !== undefined) return known;
  if (REPEATED.size >= 4_096) REPEATED.clear();
  REPEATED.set(value, value);
  return value;
}

export function normalizeFrame(frame: RawFrame, context: FrameContext): NormalizeResult {
  if (frame.skipped !== undefined) return { ok: false, reason: frame.skipped };
  let payload: unknown;
  try {
    payload = JSON.parse(frame.data);
  } catch {
    return { ok: false, reason: `not JSON: ${clipLine(frame.data, 80)}` };
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
  // Who and what repeat from event to event on a channel: held once, not once per event.
  if (typeof p.user === 'string') p.user = repeated(p.user);
  if (typeof p.subject === 'string') p.subject = repeated(p.subject);
  const serverTime = parseEventTime(p.message_time);
  const event = new LiveEvent(
    frameKey(frame, context.serverId, context.channel),
    context.channelKey ?? `${context.serverId}/${context.channel}`,
    context,
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

/** A channel's template and server, or a link already made (read back from a stored history). */
type TaskLink = { readonly taskUrlTemplate: string; readonly serverUrl: string } | string | undefined;

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
  /**
   * Where the task link comes from: the channel's template and server (shared, never per
   * event), or for an event read back from a stored history, the link it was stored with.
   */
  readonly #link: TaskLink;

  constructor(
    id: string,
    channelKey: string,
    context: Pick<FrameContext, 'serverId' | 'channel' | 'receivedAt'>,
    link: TaskLink,
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
    this.#link = link;
  }

  get title(): string {
    return describeEvent(this, this.known).title;
  }

  get body(): string {
    return describeEvent(this, this.known).body;
  }

  get taskUrl(): string | undefined {
    const link = this.#link;
    if (link === undefined || typeof link === 'string') return link;
    const payload = this.payload as Record<string, unknown>;
    return buildTaskUrl(link.taskUrlTemplate, link.serverUrl, {
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

/** One string per distinct value among the events of a stored history (channel keys, names). */
type Interner = Map<string, string>;

function shared(interner: Interner, value: string): string {
  const known = interner.get(value);
  if (known !== undefined) return known;
  if (interner.size < 1_000) interner.set(value, value);
  return value;
}

/** The payload's own string when it holds the same text (JSON.parse made two copies of it). */
function fromPayload(payload: Record<string, unknown> | undefined, key: string, value: string | undefined) {
  if (value === undefined || payload === undefined) return value;
  const own = payload[key];
  return own === value ? own : value;
}

/**
 * An event read back from a stored history (a plain object from JSON) as the engine keeps
 * live ones: its wording derived when read, its strings shared with its payload and, for the
 * channel's key and names, with the other events of the history. Field values do not change.
 */
export function compactStoredEvent(event: OcrEvent, interner: Interner = new Map()): OcrEvent {
  if (event instanceof LiveEvent) return event;
  const raw = event.payload;
  const payload =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : undefined;
  const canonical = knownEventType(event.type);
  if (canonical !== undefined && payload?.event_type === canonical) payload.event_type = canonical;
  const compact = new LiveEvent(
    event.id,
    shared(interner, event.channelKey),
    {
      serverId: shared(interner, event.serverId),
      channel: shared(interner, event.channel),
      receivedAt: event.receivedAt,
    },
    event.taskUrl,
    canonical ?? shared(interner, event.type),
    event.known,
    fromPayload(payload, 'subject', event.subject),
    fromPayload(payload, 'message', event.message),
    fromPayload(payload, 'user', event.user),
    event.taskId,
    event.projectId,
    fromPayload(payload, 'document_name', event.documentName),
    event.progress,
    event.time,
    event.timeIsReceived === true,
    event.sseId,
    raw,
  );
  // Kept plain when its stored wording is not what its facts give now (another version's
  // words, or an event not built by normalizeFrame): what the window shows must not change.
  const words = describeEvent(compact, compact.known);
  return words.title === event.title && words.body === event.body ? compact : event;
}
