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
  /**
   * `serverId/channel`, when the caller keeps it: then the context itself is the names its
   * events share (one object per channel, not three fields per event).
   */
  readonly channelKey?: string;
}

/** The context as the names of its events: itself when it has them all. */
function namesOf(context: FrameContext): EventNames {
  return context.channelKey !== undefined
    ? (context as EventNames)
    : {
        channelKey: `${context.serverId}/${context.channel}`,
        serverId: context.serverId,
        channel: context.channel,
      };
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
  return keyOf(frame, frame.sseId, serverId, channel);
}

function keyOf(frame: RawFrame, sseId: string | undefined, serverId: string, channel: string): string {
  const content = frameHash(frame.eventName ?? 'message', frame.data);
  // One flat string (see ownCopy): joined, a key is a chain of three strings, which every
  // kept event and the seen-id set would hold (~50 B more per event).
  if (sseId) return ownCopy(`${serverId}/${channel}#${boundedId(sseId)}#${content}`);
  return ownCopy(`${serverId}#${content}`);
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

/**
 * Where a frame's text is encoded, to hash it (frameHash) or copy it (ownCopy): one buffer,
 * reused, so no event allocates it. Each use is done with it before it returns.
 */
let scratch = Buffer.allocUnsafe(16 * 1024);
/** Text up to this size (in UTF-16 units; three bytes each at most) goes through the buffer. */
const MAX_SCRATCH_UNITS = 1024 * 1024;

function scratchFor(units: number): Buffer {
  if (units * 3 > scratch.length) scratch = Buffer.allocUnsafe(units * 3);
  return scratch;
}

/**
 * contentHash(`${eventName}\n${data}`), the id every stored history was written with, without
 * building that string: joining the two copied the whole frame into a new string for every
 * event (a third of all the engine allocated per event, and garbage the collector then had
 * to sweep). The UTF-8 bytes go into one reused buffer instead; the digest is the same.
 */
export function frameHash(eventName: string, data: string): string {
  const units = eventName.length + 1 + data.length;
  if (units > MAX_SCRATCH_UNITS) return contentHash(`${eventName}\n${data}`);
  const buffer = scratchFor(units);
  let end = buffer.write(eventName, 0, 'utf8');
  end = buffer.writeUInt8(0x0a, end);
  end += buffer.write(data, end, 'utf8');
  return hash('sha1', buffer.subarray(0, end), 'base64url');
}

/**
 * The same text in a string of its own, flat. The parser hands out `data` and `id:` values as
 * slices of the whole chunk they arrived in, and V8 keeps a slice's parent alive: one small
 * kept event would pin every byte read with it (a 1 MB malformed frame in the same read, for
 * a server that wants to). A joined string is a chain of its parts until something flattens
 * it. Short strings are flat copies already.
 */
export function ownCopy(text: string): string {
  if (text.length < 13 || text.length > MAX_SCRATCH_UNITS) return text;
  const buffer = scratchFor(text.length);
  const end = buffer.write(text, 0, 'utf8');
  const copy = buffer.toString('utf8', 0, end);
  // Only a string with a lone surrogate (which no UTF-8 decoder produces) reads back changed.
  return copy === text ? copy : text;
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
  const type = text(p.event_type, 100) ?? eventName ?? 'message';
  // A known type is held as the one shared constant.
  const canonical = knownEventType(type);
  const serverTime = parseEventTime(p.message_time);
  // Its own copy: the key and the event keep it (see ownCopy).
  const sseId = frame.sseId ? ownCopy(frame.sseId) : undefined;
  const event = new LiveEvent(
    keyOf(frame, sseId, context.serverId, context.channel),
    namesOf(context),
    context.receivedAt,
    context,
    canonical ?? type,
    canonical !== undefined,
    parseId(p.task_id),
    parseId(p.project_id),
    serverTime ?? context.receivedAt,
    serverTime === undefined,
    sseId,
    // The text, not the parsed object: one string to keep instead of a tree of them (the
    // tree is garbage at once, which costs the young generation nothing).
    ownCopy(frame.data),
  );
  return { ok: true, event };
}

/** A channel's template and server, or a link already made (read back from a stored history). */
type TaskLink = { readonly taskUrlTemplate: string; readonly serverUrl: string } | string | undefined;

/**
 * An event as a history file keeps the engine's own events (snapshot version 2): the facts
 * the engine needs without reading the payload, its task link, and the payload as the JSON
 * text it arrived as. Reading it back parses one string per event, where a version 1 event
 * (the plain OcrEvent, payload as an object, words included) was a tree of ~15 values.
 */
export interface CompactStoredEvent {
  readonly id: string;
  /** The channel's names; left out in a snapshot whose `names` they are (see EventNames). */
  readonly channelKey?: string;
  readonly serverId?: string;
  readonly channel?: string;
  readonly type: string;
  readonly known: boolean;
  readonly time: number;
  readonly receivedAt: number;
  readonly timeIsReceived?: true | undefined;
  readonly sseId?: string | undefined;
  readonly taskId?: number | undefined;
  readonly projectId?: number | undefined;
  readonly taskUrl?: string | undefined;
  /** The payload's JSON text. */
  readonly data: string;
}

/**
 * The names every event of one channel's history shares, said once by its snapshot instead of
 * in each of 10,000 events (reading them back was a quarter of parsing a history).
 */
export interface EventNames {
  readonly channelKey: string;
  readonly serverId: string;
  readonly channel: string;
}

/** An event as a store holds it: compact (the engine's own), or a plain event (older files). */
export type StoredEvent = CompactStoredEvent | OcrEvent;

/** What is read from the payload only when something shows the event. */
interface PayloadFacts {
  readonly payload: unknown;
  readonly subject: string | undefined;
  readonly message: string | undefined;
  readonly user: string | undefined;
  readonly documentName: string | undefined;
  readonly progress: Progress | undefined;
}

function payloadFacts(payload: unknown): PayloadFacts {
  const p =
    payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  return {
    payload,
    subject: text(p.subject, 500),
    message: text(p.message, 5000),
    user: text(p.user, 100),
    documentName: text(p.document_name, 500),
    progress: parseProgress(p.progress),
  };
}

/** The payload of a stored text; the text itself when it is not JSON (never throws). */
function parsePayload(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * The payload facts of the events read most recently (the rows on screen, the notification
 * being worded): each getter of one event reads them, and a list of a few hundred rows parses
 * each payload once. Bounded, so the facts of 10,000 listed events are not all kept.
 */
const recentFacts = new Map<LiveEvent, PayloadFacts>();
const RECENT_FACTS = 2_048;

/**
 * An event as the engine keeps it: the facts it needs for every event (id, type, time, task
 * ids) as fields, the payload as its JSON text, and everything else — the payload object,
 * subject, message, user, document, progress, wording, task link — derived when read (the list
 * shows a few hundred, a notification one; a burst of 10,000 kept events need not hold 10,000
 * parsed payloads, titles and links). It reads like a plain OcrEvent; toJSON gives the compact
 * stored form and plain() the plain event.
 */
export class LiveEvent implements OcrEvent {
  readonly id: string;
  readonly type: string;
  readonly known: boolean;
  readonly taskId: number | undefined;
  readonly projectId: number | undefined;
  readonly time: number;
  readonly receivedAt: number;
  readonly timeIsReceived: boolean;
  readonly sseId: string | undefined;
  /** The channel's names, one object shared by its events (the channel's FrameContext, live). */
  readonly #names: EventNames;
  /** The payload's JSON text, or (read back from a version 1 history) the payload itself. */
  readonly #payload: string | object;
  /**
   * Where the task link comes from: the channel's template and server (shared, never per
   * event), or for an event read back from a stored history, the link it was stored with.
   */
  readonly #link: TaskLink;

  constructor(
    id: string,
    names: EventNames,
    receivedAt: number,
    link: TaskLink,
    type: string,
    known: boolean,
    taskId: number | undefined,
    projectId: number | undefined,
    time: number,
    timeIsReceived: boolean,
    sseId: string | undefined,
    payload: string | object,
  ) {
    this.id = id;
    this.#names = names;
    this.type = type;
    this.known = known;
    this.taskId = taskId;
    this.projectId = projectId;
    this.time = time;
    this.receivedAt = receivedAt;
    this.timeIsReceived = timeIsReceived;
    this.sseId = sseId;
    this.#payload = payload;
    this.#link = link;
  }

  get channelKey(): string {
    return this.#names.channelKey;
  }

  get serverId(): string {
    return this.#names.serverId;
  }

  get channel(): string {
    return this.#names.channel;
  }

  #facts(): PayloadFacts {
    let facts = recentFacts.get(this);
    if (facts === undefined) {
      const source = this.#payload;
      facts = payloadFacts(typeof source === 'string' ? parsePayload(source) : source);
      if (recentFacts.size >= RECENT_FACTS) recentFacts.clear();
      recentFacts.set(this, facts);
    }
    return facts;
  }

  /** The payload as received (parsed JSON object). */
  get payload(): unknown {
    return this.#facts().payload;
  }

  get subject(): string | undefined {
    return this.#facts().subject;
  }

  get message(): string | undefined {
    return this.#facts().message;
  }

  get user(): string | undefined {
    return this.#facts().user;
  }

  get documentName(): string | undefined {
    return this.#facts().documentName;
  }

  get progress(): Progress | undefined {
    return this.#facts().progress;
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
    // Only a template with {user} needs the payload read (a save links every event it holds).
    const payload = link.taskUrlTemplate.includes('{user}') ? this.payload : undefined;
    return buildTaskUrl(link.taskUrlTemplate, link.serverUrl, {
      task_id: this.taskId,
      project_id: this.projectId,
      user:
        typeof payload === 'object' && payload !== null ? (payload as { user?: unknown }).user : undefined,
    });
  }

  /**
   * The compact form a history file keeps (see CompactStoredEvent). One shape for every event
   * (JSON leaves out what is undefined): a full save builds 10,000 of these.
   */
  toJSON(): CompactStoredEvent {
    return this.stored(undefined);
  }

  /** The compact form, without the names when they are `names` (its snapshot says them). */
  stored(names: EventNames | undefined): CompactStoredEvent {
    const source = this.#payload;
    const named =
      names === undefined ||
      names.channelKey !== this.channelKey ||
      names.serverId !== this.serverId ||
      names.channel !== this.channel;
    return {
      id: this.id,
      channelKey: named ? this.channelKey : undefined,
      serverId: named ? this.serverId : undefined,
      channel: named ? this.channel : undefined,
      type: this.type,
      known: this.known,
      time: this.time,
      receivedAt: this.receivedAt,
      timeIsReceived: this.timeIsReceived || undefined,
      sseId: this.sseId,
      taskId: this.taskId,
      projectId: this.projectId,
      taskUrl: this.taskUrl,
      data: typeof source === 'string' ? source : JSON.stringify(source),
    };
  }

  /** The plain event, every field a value (for the window, a copying store, a test). */
  plain(): OcrEvent {
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

/** An event as a store should hold it: the engine's own in compact form, others as they are. */
export function storedEvent(event: OcrEvent, names?: EventNames): StoredEvent {
  return event instanceof LiveEvent ? event.stored(names) : event;
}

/**
 * What the events of a stored history share: one string per distinct value (types, names) and
 * one names object per channel. Bounded, for a file that names a new channel in every event.
 */
export class Interner {
  readonly #texts = new Map<string, string>();
  readonly #names = new Map<string, EventNames>();

  text(value: string): string {
    const known = this.#texts.get(value);
    if (known !== undefined) return known;
    if (this.#texts.size < 1_000) this.#texts.set(value, value);
    return value;
  }

  /** The names object for these names: `given` (its snapshot's) when they are its names. */
  names(channelKey: string, serverId: string, channel: string, given?: EventNames): EventNames {
    if (given?.channelKey === channelKey && given.serverId === serverId && given.channel === channel) {
      return given;
    }
    const key = JSON.stringify([channelKey, serverId, channel]);
    const known = this.#names.get(key);
    if (known !== undefined) return known;
    const names = {
      channelKey: this.text(channelKey),
      serverId: this.text(serverId),
      channel: this.text(channel),
    };
    if (this.#names.size < 1_000) this.#names.set(key, names);
    return names;
  }
}

function isCompact(event: StoredEvent): event is CompactStoredEvent {
  return typeof (event as { data?: unknown }).data === 'string';
}

function optional<T>(value: unknown, type: 'string' | 'number'): T | undefined {
  return typeof value === type ? (value as T) : undefined;
}

const sameProgress = (a: Progress | undefined, b: Progress | undefined): boolean =>
  a === b || (a?.ratio === b?.ratio && a?.done === b?.done && a?.total === b?.total);

/**
 * An event read back from a stored history as the engine keeps live ones. A compact (version
 * 2) event: its fields as stored, payload text kept, names shared with the other events of the
 * history. A plain (version 1) event: its payload object kept and the rest derived, unless a
 * field or its wording is not what its payload gives now (another version's rules, an event
 * not built by normalizeFrame): then it stays plain, as what the window shows must not change.
 */
export function compactStoredEvent(
  event: StoredEvent,
  interner: Interner = new Interner(),
  names?: EventNames,
): OcrEvent {
  if (event instanceof LiveEvent) return event;
  if (isCompact(event)) {
    const canonical = knownEventType(event.type);
    return new LiveEvent(
      event.id,
      interner.names(
        event.channelKey ?? names?.channelKey ?? '',
        event.serverId ?? names?.serverId ?? '',
        event.channel ?? names?.channel ?? '',
        names,
      ),
      event.receivedAt,
      optional<string>(event.taskUrl, 'string'),
      canonical ?? interner.text(String(event.type)),
      event.known === true,
      optional<number>(event.taskId, 'number'),
      optional<number>(event.projectId, 'number'),
      event.time,
      event.timeIsReceived === true,
      optional<string>(event.sseId, 'string'),
      event.data,
    );
  }
  const raw = event.payload;
  const payload = raw !== null && typeof raw === 'object' ? raw : undefined;
  if (payload === undefined) return event;
  const canonical = knownEventType(event.type);
  const compact = new LiveEvent(
    event.id,
    interner.names(event.channelKey, event.serverId, event.channel, names),
    event.receivedAt,
    event.taskUrl,
    canonical ?? interner.text(event.type),
    event.known,
    event.taskId,
    event.projectId,
    event.time,
    event.timeIsReceived === true,
    event.sseId,
    payload,
  );
  const same =
    compact.subject === event.subject &&
    compact.message === event.message &&
    compact.user === event.user &&
    compact.documentName === event.documentName &&
    sameProgress(compact.progress, event.progress) &&
    compact.title === event.title &&
    compact.body === event.body;
  return same ? compact : event;
}
