// The typed event every part of Annotray works with, whatever the transport delivered.

export const OCR_EVENT_TYPES = [
  'ocr.task.assigned',
  'ocr.annotation.started',
  'ocr.annotation.completed',
  'ocr.batch.processed',
  'ocr.error.occurred',
] as const;

export type KnownEventType = (typeof OCR_EVENT_TYPES)[number];

/** The shared constant for a known type, or undefined. */
export function knownEventType(type: string): KnownEventType | undefined {
  const index = (OCR_EVENT_TYPES as readonly string[]).indexOf(type);
  return index < 0 ? undefined : OCR_EVENT_TYPES[index];
}

export interface Progress {
  /** 0..1 when it could be computed. */
  readonly ratio?: number;
  readonly done?: number;
  readonly total?: number;
}

export interface OcrEvent {
  /** Unique within the engine; stable across restarts (stored in history). */
  readonly id: string;
  /** `serverId/channel` — which subscription delivered it. */
  readonly channelKey: string;
  readonly serverId: string;
  readonly channel: string;
  /** `event_type` from the payload, else the SSE event name, else `message`. */
  readonly type: string;
  readonly known: boolean;
  /** Human wording, e.g. "Task 7 assigned: invoice_0042.pdf". */
  readonly title: string;
  readonly body: string;
  readonly subject?: string;
  readonly message?: string;
  readonly user?: string;
  readonly taskId?: number;
  readonly projectId?: number;
  readonly documentName?: string;
  readonly progress?: Progress;
  /** When it happened per the server (epoch ms); `receivedAt` when the server gave no usable time. */
  readonly time: number;
  readonly receivedAt: number;
  /** True when the server gave no usable time and `time` is `receivedAt`. */
  readonly timeIsReceived?: boolean;
  readonly taskUrl?: string;
  /** The SSE `id:` when the server sends ids. */
  readonly sseId?: string;
  /** The payload as received (parsed JSON object, or the raw text when it was not JSON). */
  readonly payload: unknown;
}
