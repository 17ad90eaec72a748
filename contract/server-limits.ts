// The choices, bounds and defaults of a server entry, with no library behind them, so the
// sandboxed window can import them without bundling a schema library. The zod schemas in
// server-schema.ts are built from these; the engine states the ones it needs itself (it may
// not import contract/), and electron/settings/server-limits.test.ts pins the two together.

/** `auto` recognises the token; the others force Label Studio's legacy Token, a Bearer JWT or the PAT exchange. */
export const AUTH_SCHEMES = ['auto', 'token', 'bearer', 'pat'] as const;
export type AuthSchemeChoice = (typeof AUTH_SCHEMES)[number];

/** `sse`: Label Studio's event stream; `ws`: a Django Channels WebSocket (`ws/notifications/`). */
export const TRANSPORTS = ['sse', 'ws'] as const;
export type TransportChoice = (typeof TRANSPORTS)[number];

/** Seconds a silent connection is trusted before it is replaced. */
export const IDLE_REFRESH_SECONDS = { min: 2, max: 86_400, default: 300 } as const;

/** Lengths main accepts for each text field (and the file on disk keeps). */
export const SERVER_TEXT_MAX = {
  id: 64,
  name: 100,
  url: 2000,
  eventsPath: 500,
  socketPath: 500,
  taskUrl: 2000,
  channel: 200,
  channels: 200,
  token: 8192,
} as const;
