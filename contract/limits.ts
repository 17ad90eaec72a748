// Bounds, defaults and closed lists that main validates and the window's forms offer, stated
// once. Plain values, no zod: the window imports this without the schemas (zod's eval probe
// would trip the window's CSP). The engine cannot import contract/: test/shared-rules.test.ts
// pins that its own values agree with these.

/** How a server's token is sent: recognised automatically, or one scheme. */
export const AUTH_SCHEMES = ['auto', 'token', 'bearer', 'pat'] as const;

/** How long a silent connection is trusted before it is replaced, in seconds. */
export const IDLE_REFRESH_SECONDS = { min: 2, max: 86_400, default: 300 } as const;

/** The lost-connection alert threshold, in minutes. */
export const UNREACHABLE_ALERT_MINUTES = { min: 1, max: 24 * 60, default: 2 } as const;

export type AuthSchemeChoice = (typeof AUTH_SCHEMES)[number];

/** `sse`: Label Studio's event stream; `ws`: a Django Channels WebSocket (`ws/notifications/`). */
export const TRANSPORTS = ['sse', 'ws'] as const;
export type TransportChoice = (typeof TRANSPORTS)[number];

/** Lengths main accepts for each text field of a server entry (and the file on disk keeps). */
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
