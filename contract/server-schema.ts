// One server entry, once: the fields a person edits and every copy of the record keeps. The
// window's request (ServerInput), the DTO main sends back (ServerDto, in dto.ts), the record on
// disk and its electron-store JSON Schema (app/settings/settings-schema.ts) and the
// admin's managed config (app/settings/managed-config.ts) are all derived from it. A new
// field is added here, where the engine reads it (settings-model.ts toServerConfig) and on the
// form.

import { z } from 'zod';
import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS, SERVER_TEXT_MAX, TRANSPORTS } from './limits.ts';

/** The fields every shape of a server shares, as stored: free text is trimmed on the way in. */
export const serverFieldsSchema = z.object({
  name: z.string().max(SERVER_TEXT_MAX.name),
  url: z.string().max(SERVER_TEXT_MAX.url),
  eventsPath: z.string().max(SERVER_TEXT_MAX.eventsPath),
  taskUrl: z.string().max(SERVER_TEXT_MAX.taskUrl),
  channels: z.array(z.string().max(SERVER_TEXT_MAX.channel)).max(SERVER_TEXT_MAX.channels).readonly(),
  authScheme: z.enum(AUTH_SCHEMES),
  /** Absent: the event stream (sse). */
  transport: z.enum(TRANSPORTS).optional(),
  /** WebSocket path template (transport `ws`); empty: `/ws/notifications/`. */
  socketPath: z.string().max(SERVER_TEXT_MAX.socketPath).optional(),
  // Not `.int()` here: a hand-edited 2.5 on disk still loads (the engine takes milliseconds);
  // what a person or an admin types must be whole seconds (serverInputSchema, managed config).
  idleRefreshSeconds: z.number().min(IDLE_REFRESH_SECONDS.min).max(IDLE_REFRESH_SECONDS.max),
});
export type ServerFields = z.infer<typeof serverFieldsSchema>;

export const wholeIdleRefreshSeconds = serverFieldsSchema.shape.idleRefreshSeconds.int();

/** What the settings form sends: the fields, and the token as typed. */
export const serverInputSchema = z.strictObject({
  ...serverFieldsSchema.shape,
  /** Absent for a new server. */
  id: z.string().max(SERVER_TEXT_MAX.id).optional(),
  /** undefined: keep the stored token; '' removes it; otherwise the new token. */
  token: z.string().max(SERVER_TEXT_MAX.token).optional(),
  idleRefreshSeconds: wholeIdleRefreshSeconds,
});
export type ServerInput = z.infer<typeof serverInputSchema>;
