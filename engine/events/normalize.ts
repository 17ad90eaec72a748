// One SSE frame (or WebSocket message) → one typed OcrEvent, or a reason it was skipped.
// Payloads come from the network: every field is checked for its type before use, the
// original is kept for the detail view, and nothing here can throw on any input.

import { hash } from 'node:crypto';
import { clip, describeEvent } from './describe.ts';
import { parseEventTime } from './event-time.ts';
import { isKnownEventType, type OcrEvent, type Progress } from './ocr-event.ts';
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
  const type = text(p.event_type, 100) ?? eventName ?? 'message';
  const known = isKnownEventType(type);
  const taskId = parseId(p.task_id);
  const projectId = parseId(p.project_id);
  const facts = {
    type,
    subject: text(p.subject, 500),
    message: text(p.message, 5000),
    taskId,
    documentName: text(p.document_name, 500),
    progress: parseProgress(p.progress),
  };
  const { title, body } = describeEvent(facts, known);
  const serverTime = parseEventTime(p.message_time);
  // Every field is always present (undefined when absent): one object shape for all events
  // keeps the hot path monomorphic; JSON and the views skip the undefined ones.
  const event: OcrEvent = {
    id: frameKey(frame, context.serverId, context.channel),
    channelKey: `${context.serverId}/${context.channel}`,
    serverId: context.serverId,
    channel: context.channel,
    type,
    known,
    title,
    body,
    subject: facts.subject,
    message: facts.message,
    user: text(p.user, 100),
    taskId,
    projectId,
    documentName: facts.documentName,
    progress: facts.progress,
    time: serverTime ?? context.receivedAt,
    receivedAt: context.receivedAt,
    timeIsReceived: serverTime === undefined,
    taskUrl: buildTaskUrl(context.taskUrlTemplate, context.serverUrl, {
      task_id: taskId,
      project_id: projectId,
      user: p.user,
    }),
    sseId: frame.sseId || undefined,
    payload,
  };
  return { ok: true, event };
}
