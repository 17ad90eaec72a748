// Annotray's stored settings: the shape on disk, its defaults, its migrations, and the
// checks that turn a person's input into a server the engine accepts. Pure: the
// electron-store adapter and the token vault are ports.

import type { z } from 'zod';
import type { FieldError } from '../../contract/dto.ts';
import { type ServerInput, serverFieldsSchema } from '../../contract/server-schema.ts';
import { resolveServer, type ServerConfig } from '../../engine/config/server-config.ts';
import { type AuthConfig, authFromToken } from '../../engine/connection/auth.ts';
import { DEFAULT_EVENTS_PATH, DEFAULT_SOCKET_PATH, SettingsError } from '../../engine/connection/endpoint.ts';
import { OCR_EVENT_TYPES } from '../../engine/events/ocr-event.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from '../../engine/policy/preferences.ts';
import { storedPreferencesSchema, storedServerSchema, type storedTokenSchema } from './settings-schema.ts';

export const SETTINGS_VERSION = 1;
// Ctrl/Cmd+Shift+A is JetBrains' Find Action and Chrome's tab search; Ctrl/Cmd+Alt+Shift+N
// is not bound by common IDEs, browsers or desktops.
export const DEFAULT_SHORTCUT = 'CommandOrControl+Alt+Shift+N';

export type StoredToken = z.infer<typeof storedTokenSchema>;
export type StoredServer = Readonly<z.infer<typeof storedServerSchema>>;
export type StoredPreferences = Readonly<z.infer<typeof storedPreferencesSchema>>;

export interface StoredSettings {
  readonly version: number;
  readonly servers: readonly StoredServer[];
  readonly preferences: StoredPreferences;
}

export const DEFAULT_STORED_PREFERENCES: StoredPreferences = {
  types: DEFAULT_PREFERENCES.types,
  errorsAlwaysNotify: DEFAULT_PREFERENCES.errorsAlwaysNotify,
  sound: DEFAULT_PREFERENCES.sound,
  pausedUntil: null,
  openAtLogin: false,
  shortcut: DEFAULT_SHORTCUT,
};

export const DEFAULT_SETTINGS: StoredSettings = {
  version: SETTINGS_VERSION,
  servers: [],
  preferences: DEFAULT_STORED_PREFERENCES,
};

/** Encrypts and decrypts tokens; Electron's safeStorage in the app, a fake in tests. */
export interface TokenVault {
  /** False where the OS offers no keyring (then tokens are kept plain, and the user is told). */
  readonly available: boolean;
  encrypt(plain: string): string;
  decrypt(data: string): string;
}

export function storeToken(vault: TokenVault, token: string): StoredToken {
  return vault.available
    ? { kind: 'encrypted', data: vault.encrypt(token) }
    : { kind: 'plain', value: token };
}

export function readToken(vault: TokenVault, token: StoredToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'plain') return token.value;
  return vault.available ? vault.decrypt(token.data) : undefined;
}

/** The engine's view of the stored preferences. */
export function toEnginePreferences(p: StoredPreferences): NotificationPreferences {
  return {
    ...DEFAULT_PREFERENCES,
    types: { ...DEFAULT_PREFERENCES.types, ...p.types },
    errorsAlwaysNotify: p.errorsAlwaysNotify,
    sound: p.sound,
    ...(p.pausedUntil === 'indefinite'
      ? { pausedUntil: Number.POSITIVE_INFINITY }
      : p.pausedUntil !== null
        ? { pausedUntil: p.pausedUntil }
        : {}),
  };
}

/** The engine's view of a stored server (decrypting its token). */
export function toServerConfig(server: StoredServer, vault: TokenVault): ServerConfig {
  const auth: AuthConfig = authFromToken(readToken(vault, server.token), server.authScheme);
  // The shared fields go to the engine under their own names; parsing leaves the token behind.
  const { authScheme: _scheme, socketPath, ...fields } = serverFieldsSchema.parse(server);
  return {
    ...fields,
    id: server.id,
    auth,
    transport: server.transport ?? 'sse',
    ...(socketPath ? { socketPath } : {}),
  };
}

/** A fresh id for a new server, unique among `taken`. */
export function newServerId(url: string, taken: ReadonlySet<string>): string {
  let base = 'server';
  try {
    base = new URL(url).hostname.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40) || 'server';
  } catch {
    // An invalid URL is reported by validation; the id only needs to be unique.
  }
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/**
 * Turns the settings form into a stored server, or explains per field what is wrong.
 * `existing` is the server being edited (its token is kept unless a new one is given).
 */
export function validateServerInput(
  input: ServerInput,
  existing: StoredServer | undefined,
  others: readonly StoredServer[],
  vault: TokenVault,
): { ok: true; server: StoredServer } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const channels = [...new Set(input.channels.map((c) => c.trim()).filter((c) => c.length > 0))];
  const id = existing?.id ?? newServerId(input.url, new Set(others.map((s) => s.id)));
  const newToken = input.token?.trim();
  const token =
    newToken === undefined ? existing?.token : newToken === '' ? undefined : storeToken(vault, newToken);
  const tokenHint =
    newToken === undefined ? existing?.tokenHint : newToken.length >= 12 ? newToken.slice(-4) : undefined;
  const { id: _id, token: _token, transport: _transport, socketPath: _socketPath, ...fields } = input;
  const server: StoredServer = {
    ...fields,
    id,
    name: input.name.trim(),
    url: input.url.trim().replace(/\/+$/, ''),
    eventsPath: input.eventsPath.trim() || DEFAULT_EVENTS_PATH,
    taskUrl: input.taskUrl.trim() || DEFAULT_TASK_URL,
    channels,
    ...(input.transport === 'ws'
      ? { transport: 'ws' as const, socketPath: input.socketPath?.trim() || DEFAULT_SOCKET_PATH }
      : {}),
    ...(token ? { token } : {}),
    ...(token && tokenHint ? { tokenHint } : {}),
  };
  const field = (name: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      errors.push({ field: name, message: error.message });
    }
  };
  const base = { ...toServerConfig(server, vault), channels: channels.length > 0 ? channels : ['probe'] };
  // Each field is checked with the others at their defaults, so a message lands on its own field.
  const defaults = {
    eventsPath: DEFAULT_EVENTS_PATH,
    taskUrl: DEFAULT_TASK_URL,
    socketPath: DEFAULT_SOCKET_PATH,
  };
  field('url', () => resolveServer({ ...base, ...defaults }));
  if (errors.length === 0) {
    if (server.transport === 'ws')
      field('socketPath', () => resolveServer({ ...base, ...defaults, socketPath: server.socketPath }));
    else field('eventsPath', () => resolveServer({ ...base, ...defaults, eventsPath: server.eventsPath }));
    field('taskUrl', () => resolveServer({ ...base, ...defaults, taskUrl: server.taskUrl }));
    field('channels', () => resolveServer({ ...base, ...defaults, channels }));
  }
  if (
    others.some((o) => o.id !== id && o.url === server.url && o.channels.some((c) => channels.includes(c)))
  ) {
    errors.push({
      field: 'channels',
      message: 'another server entry already follows one of these channels on this URL',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, server };
}

/** Brings settings written by any earlier version (or damaged by hand) to the current shape. */
export function migrateSettings(raw: unknown): StoredSettings {
  if (raw === null || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const data = raw as Partial<StoredSettings> & { servers?: unknown; preferences?: unknown };
  const prefs = (data.preferences ?? {}) as Partial<StoredPreferences>;
  const servers = Array.isArray(data.servers) ? data.servers.filter(isStoredServer) : [];
  const knownTypes = new Set<string>([...OCR_EVENT_TYPES, 'other']);
  const types = Object.fromEntries(
    Object.entries(prefs.types ?? {}).filter(([k, v]) => knownTypes.has(k) && typeof v === 'boolean'),
  );
  // Each preference on its own: a damaged one falls back to its default, the others are kept.
  const kept = <K extends keyof StoredPreferences>(key: K): StoredPreferences[K] => {
    const parsed = storedPreferencesSchema.shape[key].safeParse(prefs[key]);
    return parsed.success ? (parsed.data as StoredPreferences[K]) : DEFAULT_STORED_PREFERENCES[key];
  };
  return {
    version: SETTINGS_VERSION,
    servers,
    preferences: {
      types: { ...DEFAULT_STORED_PREFERENCES.types, ...types },
      errorsAlwaysNotify: kept('errorsAlwaysNotify'),
      sound: kept('sound'),
      pausedUntil: kept('pausedUntil'),
      openAtLogin: kept('openAtLogin'),
      shortcut: kept('shortcut'),
    },
  };
}

/** A valid entry is kept as it is, keys of a newer Annotray included, so loading does not rewrite them away. */
function isStoredServer(value: unknown): value is StoredServer {
  return storedServerSchema.safeParse(value).success;
}
