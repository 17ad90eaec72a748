// What the engine needs to know about one server, validated once so the rest of the
// engine can trust it. The app's settings and the CLI's flags both become this.

import type { AuthConfig } from '../connection/auth.ts';
import {
  buildEventsUrl,
  buildSocketUrl,
  DEFAULT_EVENTS_PATH,
  DEFAULT_SOCKET_PATH,
  parseServerUrl,
  SettingsError,
  validateChannel,
  validateEventsPath,
} from '../connection/endpoint.ts';
import { DEFAULT_TASK_URL, validateTaskUrlTemplate } from '../events/task-link.ts';

export interface ServerConfig {
  /** Stable id, used in channel keys (`id/channel`) and history file names. */
  readonly id: string;
  readonly name?: string;
  readonly url: string;
  readonly auth: AuthConfig;
  readonly eventsPath?: string;
  readonly taskUrl?: string;
  readonly channels: readonly string[];
  /** `sse` (default): Label Studio's event stream; `ws`: a Django Channels WebSocket. */
  readonly transport?: Transport;
  /** WebSocket path template (ws only), default `/ws/notifications/`. */
  readonly socketPath?: string;
  /** Seconds a silent connection is trusted before it is replaced. */
  readonly idleRefreshSeconds?: number;
}

export type Transport = 'sse' | 'ws';

export interface ResolvedServer {
  readonly id: string;
  readonly name: string;
  readonly url: URL;
  /** The server URL as text without a trailing slash, for task links. */
  readonly base: string;
  readonly auth: AuthConfig;
  readonly eventsPath: string;
  readonly taskUrl: string;
  readonly transport: Transport;
  readonly channels: readonly { readonly name: string; readonly url: URL }[];
  readonly idleRefreshMs?: number;
}

export const MIN_IDLE_REFRESH_SECONDS = 2;

export function resolveServer(config: ServerConfig): ResolvedServer {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.id)) {
    throw new SettingsError(`server id "${config.id}" may only use letters, digits, "_", "-" and "."`);
  }
  const url = parseServerUrl(config.url);
  const eventsPath = validateEventsPath(config.eventsPath ?? DEFAULT_EVENTS_PATH);
  const taskUrl = validateTaskUrlTemplate(config.taskUrl ?? DEFAULT_TASK_URL);
  const names = [...new Set(config.channels.map((c) => validateChannel(c.trim())))];
  if (names.length === 0) throw new SettingsError(`server ${url.origin} has no channel to follow`);
  const transport = config.transport ?? 'sse';
  if (transport !== 'sse' && transport !== 'ws')
    throw new SettingsError(`transport must be sse or ws (got "${String(transport)}")`);
  const idle = config.idleRefreshSeconds;
  if (idle !== undefined && (!Number.isFinite(idle) || idle < MIN_IDLE_REFRESH_SECONDS)) {
    throw new SettingsError(
      `the idle refresh must be at least ${MIN_IDLE_REFRESH_SECONDS} seconds (got ${idle})`,
    );
  }
  return {
    id: config.id,
    name: config.name?.trim() || url.host,
    url,
    base: url.href.replace(/\/+$/, ''),
    auth: config.auth,
    eventsPath,
    taskUrl,
    transport,
    channels: names.map((name) => ({
      name,
      url:
        transport === 'ws'
          ? buildSocketUrl(url, name, config.socketPath ?? DEFAULT_SOCKET_PATH)
          : buildEventsUrl(url, name, eventsPath),
    })),
    ...(idle !== undefined ? { idleRefreshMs: idle * 1000 } : {}),
  };
}
