// Every channel between the window and main, in one place: what the window may ask
// (`invoke`), what it may hear (`push`), with the request schema main validates at run time
// and the response type both sides compile against. Main registers handlers from this map,
// the preload builds the one object it exposes from it, and the renderer types its calls by it.

import { z } from 'zod';
import type {
  ChannelDto,
  DiagnosisDto,
  EventDto,
  EventListDto,
  GapDto,
  NavigateDto,
  ReadStateDto,
  SaveResult,
  SettingsDto,
  SnapshotDto,
} from './dto.ts';
import { UNREACHABLE_ALERT_MINUTES } from './limits.ts';
import { serverInputSchema } from './server-schema.ts';

const channelKey = z.string().min(1).max(300);
const eventId = z.string().min(1).max(400);

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 00:00–23:59');
const weekdays = z.array(z.number().int().min(0).max(6)).max(7);

export const quietHoursInputSchema = z.strictObject({
  enabled: z.boolean(),
  from: timeOfDay,
  to: timeOfDay,
  days: weekdays,
  allDay: weekdays,
});

export const preferencesInputSchema = z.strictObject({
  types: z.record(z.string().max(100), z.boolean()),
  errorsAlwaysNotify: z.boolean(),
  sound: z.boolean(),
  openAtLogin: z.boolean(),
  shortcut: z.string().max(100),
  quietHours: quietHoursInputSchema,
  unreachableAlertMinutes: z
    .number()
    .int()
    .min(UNREACHABLE_ALERT_MINUTES.min)
    .max(UNREACHABLE_ALERT_MINUTES.max)
    .nullable(),
});
export type PreferencesInput = z.infer<typeof preferencesInputSchema>;

export const pauseInputSchema = z.strictObject({
  kind: z.enum(['hour', 'tomorrow', 'indefinite', 'resume']),
});

/** Requests the window may send; each validated in main before use. */
export const invokeSchemas = {
  'app:snapshot': z.strictObject({}),
  'events:list': z.strictObject({ channelKey: channelKey.nullable() }),
  'events:markRead': z.strictObject({ channelKey, eventIds: z.array(eventId).min(1).max(10_000) }),
  'events:markAllRead': z.strictObject({ channelKey: channelKey.nullable() }),
  'task:open': z.strictObject({ url: z.string().max(4000) }),
  'settings:saveServer': z.strictObject({ server: serverInputSchema }),
  'settings:removeServer': z.strictObject({ id: z.string().min(1).max(64) }),
  'settings:setPreferences': z.strictObject({ preferences: preferencesInputSchema }),
  'channels:mute': z.strictObject({
    channelKey,
    mute: z.enum(['hour', 'tomorrow', 'indefinite', 'unmute']),
  }),
  'settings:testConnection': z.strictObject({ server: serverInputSchema, channel: z.string().max(200) }),
  'notifications:pause': pauseInputSchema,
  'channels:reconnect': z.strictObject({ channelKey: channelKey.nullable() }),
} as const;

/** What each request answers. */
export interface InvokeResponses {
  'app:snapshot': SnapshotDto;
  'events:list': EventListDto;
  'events:markRead': { readonly changed: number };
  'events:markAllRead': { readonly changed: number };
  'task:open': { readonly opened: boolean; readonly reason?: string };
  'settings:saveServer': SaveResult<SettingsDto>;
  'settings:removeServer': SettingsDto;
  'settings:setPreferences': SaveResult<SettingsDto>;
  'channels:mute': SettingsDto;
  'settings:testConnection': SaveResult<DiagnosisDto>;
  'notifications:pause': SettingsDto;
  'channels:reconnect': { readonly reconnecting: number };
}

export type InvokeChannel = keyof typeof invokeSchemas;
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof invokeSchemas)[C]>;
export type InvokeResponse<C extends InvokeChannel> = InvokeResponses[C];

/** Messages main sends to the window. */
export interface PushPayloads {
  'push:channels': readonly ChannelDto[];
  /** New events, batched (a burst arrives as a few batches, not thousands of messages). */
  'push:events': readonly EventDto[];
  'push:readState': ReadStateDto;
  'push:gap': GapDto;
  'push:settings': SettingsDto;
  /** A notification was clicked: show this channel / event. */
  'push:navigate': NavigateDto;
}

export type PushChannel = keyof PushPayloads;

export const PUSH_CHANNELS = [
  'push:channels',
  'push:events',
  'push:readState',
  'push:gap',
  'push:settings',
  'push:navigate',
] as const satisfies readonly PushChannel[];

export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[];

// Compile-time coverage: every invoke channel has a response type and every response a
// schema; every push payload is listed in PUSH_CHANNELS. Adding one without the other fails tsc.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const invokeCovered: Exact<keyof InvokeResponses, InvokeChannel> = true;
const pushCovered: Exact<(typeof PUSH_CHANNELS)[number], PushChannel> = true;
void invokeCovered;
void pushCovered;

/** The object the preload exposes as `window.annotray`, and the renderer's whole view of main. */
export interface AnnotrayApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayloads[C]) => void): () => void;
}

/** The result of validating a request in main. */
export function parseRequest<C extends InvokeChannel>(
  channel: C,
  request: unknown,
): { ok: true; value: InvokeRequest<C> } | { ok: false; error: string } {
  const schema = (invokeSchemas as Record<string, z.ZodType | undefined>)[channel];
  if (!schema) return { ok: false, error: `unknown channel ${String(channel)}` };
  const result = schema.safeParse(request);
  if (result.success) return { ok: true, value: result.data as InvokeRequest<C> };
  return { ok: false, error: z.prettifyError(result.error) };
}

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeSchemas, value);
}
