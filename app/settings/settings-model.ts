// Annotray's stored settings: the shape on disk, its defaults, its migrations, and the
// checks that turn a person's input into a server the engine accepts. Pure: the
// electron-store adapter and the token vault are ports.

import type { z } from 'zod';
import type { FieldError } from '../../contract/dto.ts';
import { UNREACHABLE_ALERT_MINUTES } from '../../contract/limits.ts';
import { type ServerInput, serverFieldsSchema } from '../../contract/server-schema.ts';
import { resolveServer, type ServerConfig } from '../../engine/config/server-config.ts';
import { type AuthConfig, authFromToken } from '../../engine/connection/auth.ts';
import { DEFAULT_EVENTS_PATH, DEFAULT_SOCKET_PATH, SettingsError } from '../../engine/connection/endpoint.ts';
import { OCR_EVENT_TYPES } from '../../engine/events/ocr-event.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { activeMutes, type ChannelMutes } from '../../engine/policy/channel-mute.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from '../../engine/policy/preferences.ts';
import {
  QUIET_HOURS_OFF,
  type QuietHours,
  quietHoursProblem,
  type Weekday,
} from '../../engine/policy/quiet-hours.ts';
import { storedPreferencesSchema, storedServerSchema, type storedTokenSchema } from './settings-schema.ts';

export const SETTINGS_VERSION = 1;
// Ctrl/Cmd+Shift+A is JetBrains' Find Action and Chrome's tab search; Ctrl/Cmd+Alt+Shift+N
// is not bound by common IDEs, browsers or desktops.
export const DEFAULT_SHORTCUT = 'CommandOrControl+Alt+Shift+N';

export type StoredToken = z.infer<typeof storedTokenSchema>;
export type StoredServer = Readonly<z.infer<typeof storedServerSchema>>;
/** As stored; quiet hours and mutes in the engine's own types (the file's schema only pins them as objects). */
export type StoredPreferences = Readonly<
  Omit<z.infer<typeof storedPreferencesSchema>, 'quietHours' | 'mutes'> & {
    quietHours: QuietHours;
    /** Channel key → muted until (epoch ms) or 'indefinite'; expired entries are dropped on save. */
    mutes: ChannelMutes;
  }
>;

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
  quietHours: QUIET_HOURS_OFF,
  mutes: {},
  unreachableAlertMinutes: UNREACHABLE_ALERT_MINUTES.default,
};

export const DEFAULT_SETTINGS: StoredSettings = {
  version: SETTINGS_VERSION,
  servers: [],
  preferences: DEFAULT_STORED_PREFERENCES,
};

/**
 * Encrypts and decrypts tokens; Electron's safeStorage in the app, a fake in tests. Async:
 * the OS keyring may take its time (or ask the user) and must not block the main process.
 */
export interface TokenVault {
  /** False where the OS offers no keyring (then tokens are kept plain, and the user is told). */
  readonly available: boolean;
  encrypt(plain: string): Promise<string>;
  decrypt(data: string): Promise<string>;
}

/**
 * A token field of the settings form, sealed by the vault before validation (which then stays
 * pure): keep the stored token (the field was left out), remove it (left empty), or set a new one.
 */
export type TokenChange =
  | { readonly kind: 'keep' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'set'; readonly token: StoredToken; readonly hint?: string };

export async function storeToken(vault: TokenVault, token: string): Promise<StoredToken> {
  return vault.available
    ? { kind: 'encrypted', data: await vault.encrypt(token) }
    : { kind: 'plain', value: token };
}

export async function readToken(
  vault: TokenVault,
  token: StoredToken | undefined,
): Promise<string | undefined> {
  if (!token) return undefined;
  if (token.kind === 'plain') return token.value;
  return vault.available ? vault.decrypt(token.data) : undefined;
}

/** Seals what the form's token field holds (`undefined`: left out, so the stored token is kept). */
export async function sealToken(vault: TokenVault, input: string | undefined): Promise<TokenChange> {
  const token = input?.trim();
  if (token === undefined) return { kind: 'keep' };
  if (token === '') return { kind: 'remove' };
  // Short tokens get no hint: four characters of them would give too much away.
  return {
    kind: 'set',
    token: await storeToken(vault, token),
    ...(token.length >= 12 ? { hint: token.slice(-4) } : {}),
  };
}

/** The pause in force at `now`: the stored one, or null once it has run out. */
export function activePause(
  pausedUntil: StoredPreferences['pausedUntil'],
  now: number,
): StoredPreferences['pausedUntil'] {
  return typeof pausedUntil === 'number' && pausedUntil <= now ? null : pausedUntil;
}

/** The engine's view of the stored preferences. */
export function toEnginePreferences(p: StoredPreferences): NotificationPreferences {
  return {
    ...DEFAULT_PREFERENCES,
    types: { ...DEFAULT_PREFERENCES.types, ...p.types },
    errorsAlwaysNotify: p.errorsAlwaysNotify,
    sound: p.sound,
    quietHours: p.quietHours,
    mutes: p.mutes,
    unreachableAlertMs: p.unreachableAlertMinutes === null ? null : p.unreachableAlertMinutes * 60_000,
    ...(p.pausedUntil === 'indefinite'
      ? { pausedUntil: Number.POSITIVE_INFINITY }
      : p.pausedUntil !== null
        ? { pausedUntil: p.pausedUntil }
        : {}),
  };
}

/** The engine's view of a stored server (decrypting its token). */
export async function toServerConfig(server: StoredServer, vault: TokenVault): Promise<ServerConfig> {
  return serverConfig(server, authFromToken(await readToken(vault, server.token), server.authScheme));
}

function serverConfig(server: StoredServer, auth: AuthConfig): ServerConfig {
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
 * `existing` is the server being edited (its token is kept unless `token` changes it); the
 * form's token field comes sealed by `sealToken`, so this stays synchronous and pure.
 */
export function validateServerInput(
  input: Omit<ServerInput, 'token'>,
  existing: StoredServer | undefined,
  others: readonly StoredServer[],
  tokenChange: TokenChange,
): { ok: true; server: StoredServer } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const channels = [...new Set(input.channels.map((c) => c.trim()).filter((c) => c.length > 0))];
  const id = existing?.id ?? newServerId(input.url, new Set(others.map((s) => s.id)));
  const token =
    tokenChange.kind === 'keep'
      ? existing?.token
      : tokenChange.kind === 'set'
        ? tokenChange.token
        : undefined;
  const tokenHint =
    tokenChange.kind === 'keep'
      ? existing?.tokenHint
      : tokenChange.kind === 'set'
        ? tokenChange.hint
        : undefined;
  // Callers may pass the whole request, plain token included: it is sealed apart (tokenChange), never stored.
  const {
    id: _id,
    transport: _transport,
    socketPath: _socketPath,
    token: _plain,
    ...fields
  } = input as ServerInput;
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
  // The token plays no part in whether the addresses and channels are valid.
  const base = {
    ...serverConfig(server, { scheme: 'none' }),
    channels: channels.length > 0 ? channels : ['probe'],
  };
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
  const kept = <K extends Exclude<keyof StoredPreferences, 'quietHours' | 'mutes'>>(
    key: K,
  ): StoredPreferences[K] => {
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
      quietHours: migrateQuietHours(prefs.quietHours),
      mutes: migrateMutes(prefs.mutes),
      unreachableAlertMinutes: kept('unreachableAlertMinutes'),
    },
  };
}

/** A stored schedule as it is, or quiet hours off (settings from before quiet hours, or damaged). */
function migrateQuietHours(value: unknown): QuietHours {
  if (value === null || typeof value !== 'object') return QUIET_HOURS_OFF;
  const q = value as Partial<QuietHours>;
  const candidate: QuietHours = {
    enabled: q.enabled === true,
    from: typeof q.from === 'string' ? q.from : QUIET_HOURS_OFF.from,
    to: typeof q.to === 'string' ? q.to : QUIET_HOURS_OFF.to,
    days: Array.isArray(q.days) ? (q.days as Weekday[]) : QUIET_HOURS_OFF.days,
    allDay: Array.isArray(q.allDay) ? (q.allDay as Weekday[]) : QUIET_HOURS_OFF.allDay,
  };
  return quietHoursProblem(candidate) === undefined ? candidate : QUIET_HOURS_OFF;
}

function migrateMutes(value: unknown): ChannelMutes {
  if (value === null || typeof value !== 'object') return {};
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([key, until]) =>
      key.length > 0 && (until === 'indefinite' || (typeof until === 'number' && Number.isFinite(until))),
  );
  return activeMutes(Object.fromEntries(entries) as ChannelMutes, Date.now());
}

/** A valid entry is kept as it is, keys of a newer Annotray included, so loading does not rewrite them away. */
function isStoredServer(value: unknown): value is StoredServer {
  return storedServerSchema.safeParse(value).success;
}
