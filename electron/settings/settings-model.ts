// Annotray's stored settings: the shape on disk, its defaults, its migrations, and the
// checks that turn a person's input into a server the engine accepts. Pure: the
// electron-store adapter and the token vault are ports.

import type { AuthSchemeDto, FieldError, TransportDto } from '../../contract/dto.ts';
import type { ServerInput } from '../../contract/ipc-contract.ts';
import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS, UNREACHABLE_ALERT_MINUTES } from '../../contract/limits.ts';
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

export const SETTINGS_VERSION = 1;
export const DEFAULT_IDLE_REFRESH_SECONDS = IDLE_REFRESH_SECONDS.default;
// Ctrl/Cmd+Shift+A is JetBrains' Find Action and Chrome's tab search; Ctrl/Cmd+Alt+Shift+N
// is not bound by common IDEs, browsers or desktops.
export const DEFAULT_SHORTCUT = 'CommandOrControl+Alt+Shift+N';

/** A token at rest: encrypted by the OS keyring, or — only where none exists, and the user is told — plain. */
export type StoredToken =
  | { readonly kind: 'encrypted'; readonly data: string }
  | { readonly kind: 'plain'; readonly value: string };

export interface StoredServer {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly eventsPath: string;
  readonly taskUrl: string;
  readonly channels: readonly string[];
  readonly authScheme: AuthSchemeDto;
  /** Absent: 'sse'. */
  readonly transport?: TransportDto;
  /** WebSocket path template (transport 'ws'). */
  readonly socketPath?: string;
  readonly token?: StoredToken;
  /** The token's last 4 characters, kept apart so the window can tell tokens apart without decrypting. */
  readonly tokenHint?: string;
  readonly idleRefreshSeconds: number;
}

export interface StoredPreferences {
  readonly types: Readonly<Record<string, boolean>>;
  readonly errorsAlwaysNotify: boolean;
  readonly sound: boolean;
  /** Epoch ms, 'indefinite', or null when not paused. */
  readonly pausedUntil: number | 'indefinite' | null;
  readonly openAtLogin: boolean;
  readonly shortcut: string;
  readonly quietHours: QuietHours;
  /** Channel key → muted until (epoch ms) or 'indefinite'; expired entries are dropped on save. */
  readonly mutes: ChannelMutes;
  /** Alert after this many minutes unable to connect; null: never. */
  readonly unreachableAlertMinutes: number | null;
}

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
  return {
    id: server.id,
    name: server.name,
    url: server.url,
    auth,
    eventsPath: server.eventsPath,
    taskUrl: server.taskUrl,
    channels: server.channels,
    idleRefreshSeconds: server.idleRefreshSeconds,
    transport: server.transport ?? 'sse',
    ...(server.socketPath ? { socketPath: server.socketPath } : {}),
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
  const server: StoredServer = {
    id,
    name: input.name.trim(),
    url: input.url.trim().replace(/\/+$/, ''),
    eventsPath: input.eventsPath.trim() || DEFAULT_EVENTS_PATH,
    taskUrl: input.taskUrl.trim() || DEFAULT_TASK_URL,
    channels,
    authScheme: input.authScheme,
    idleRefreshSeconds: input.idleRefreshSeconds,
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
  return {
    version: SETTINGS_VERSION,
    servers,
    preferences: {
      types: { ...DEFAULT_STORED_PREFERENCES.types, ...types },
      errorsAlwaysNotify: typeof prefs.errorsAlwaysNotify === 'boolean' ? prefs.errorsAlwaysNotify : true,
      sound: typeof prefs.sound === 'boolean' ? prefs.sound : true,
      pausedUntil:
        prefs.pausedUntil === 'indefinite' ||
        (typeof prefs.pausedUntil === 'number' && Number.isFinite(prefs.pausedUntil))
          ? prefs.pausedUntil
          : null,
      openAtLogin: typeof prefs.openAtLogin === 'boolean' ? prefs.openAtLogin : false,
      shortcut: typeof prefs.shortcut === 'string' ? prefs.shortcut : DEFAULT_SHORTCUT,
      quietHours: migrateQuietHours(prefs.quietHours),
      mutes: migrateMutes(prefs.mutes),
      unreachableAlertMinutes:
        prefs.unreachableAlertMinutes === null
          ? null
          : typeof prefs.unreachableAlertMinutes === 'number' &&
              Number.isInteger(prefs.unreachableAlertMinutes) &&
              prefs.unreachableAlertMinutes >= UNREACHABLE_ALERT_MINUTES.min &&
              prefs.unreachableAlertMinutes <= UNREACHABLE_ALERT_MINUTES.max
            ? prefs.unreachableAlertMinutes
            : DEFAULT_STORED_PREFERENCES.unreachableAlertMinutes,
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

function isStoredServer(value: unknown): value is StoredServer {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<StoredServer>;
  return (
    typeof s.id === 'string' &&
    typeof s.url === 'string' &&
    Array.isArray(s.channels) &&
    s.channels.every((c) => typeof c === 'string') &&
    typeof s.name === 'string' &&
    typeof s.eventsPath === 'string' &&
    typeof s.taskUrl === 'string' &&
    typeof s.idleRefreshSeconds === 'number' &&
    (AUTH_SCHEMES as readonly unknown[]).includes(s.authScheme) &&
    (s.transport === undefined || s.transport === 'sse' || s.transport === 'ws') &&
    (s.socketPath === undefined || typeof s.socketPath === 'string')
  );
}
