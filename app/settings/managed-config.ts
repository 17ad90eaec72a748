// Pre-configuration by an admin, without the UI: a JSON file in a system folder (or the one
// ANNOTRAY_CONFIG names) and ANNOTRAY_* environment variables, validated with zod and merged
// over the stored settings at every start. Managed servers win over what a person changed in
// Settings; a token the admin leaves out is kept from the person's own entry. Pure apart from
// the file reading passed in; docs/admin-config.md describes the format.

import { join } from 'node:path';
import { z } from 'zod';
import { preferencesInputSchema, quietHoursInputSchema } from '../../contract/ipc-contract.ts';
import { IDLE_REFRESH_SECONDS, SERVER_TEXT_MAX } from '../../contract/limits.ts';
import { serverFieldsSchema, wholeIdleRefreshSeconds } from '../../contract/server-schema.ts';
import type { QuietHours } from '../../engine/policy/quiet-hours.ts';
import type { Logger } from '../../engine/ports.ts';
import type { SettingsRepository } from '../app-core.ts';
import {
  newServerId,
  type StoredServer,
  type StoredSettings,
  sealToken,
  type TokenChange,
  type TokenVault,
  validateServerInput,
} from './settings-model.ts';

export const CONFIG_FILE_NAME = 'config.json';
/** Beside the executable (portable and per-user installs). */
export const APP_DIR_CONFIG_FILE_NAME = 'annotray.config.json';

/** A stored server as an admin writes it: every shared field optional but the address and channels. */
const managedServerSchema = z.strictObject({
  ...serverFieldsSchema.partial().shape,
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1–64 letters, digits, ".", "_" or "-"')
    .optional(),
  url: serverFieldsSchema.shape.url.min(1),
  channels: z
    .array(z.string().trim().min(1).max(SERVER_TEXT_MAX.channel))
    .min(1)
    .max(SERVER_TEXT_MAX.channels)
    .readonly(),
  token: z.string().max(SERVER_TEXT_MAX.token).optional(),
  idleRefreshSeconds: wholeIdleRefreshSeconds.optional(),
});

export const managedConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  servers: z.array(managedServerSchema).max(50).optional(),
  preferences: z
    .strictObject({
      types: z.record(z.string().max(100), z.boolean()).optional(),
      errorsAlwaysNotify: z.boolean().optional(),
      sound: z.boolean().optional(),
      openAtLogin: z.boolean().optional(),
      shortcut: z.string().max(100).optional(),
      quietHours: quietHoursInputSchema.optional(),
      unreachableAlertMinutes: preferencesInputSchema.shape.unreachableAlertMinutes.optional(),
    })
    .optional(),
  /** electron-updater's generic provider: the folder holding latest.yml and the installers. */
  updateUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});

export type ManagedConfig = z.infer<typeof managedConfigSchema>;
export type ManagedServer = z.infer<typeof managedServerSchema>;

/** A managed configuration whose tokens the vault has sealed (once, at start-up). */
export interface SealedManagedConfig extends Omit<ManagedConfig, 'servers'> {
  readonly servers?: readonly (Omit<ManagedServer, 'token'> & { readonly token: TokenChange })[];
}

/** Encrypts the admin's tokens, so that applying the configuration at every load stays pure. */
export async function sealManagedConfig(
  config: ManagedConfig,
  vault: TokenVault,
): Promise<SealedManagedConfig> {
  const { servers, ...rest } = config;
  if (!servers) return rest;
  const sealed = [];
  // One after another: a keyring that asks the user asks once at a time.
  for (const { token, ...server } of servers)
    sealed.push({ ...server, token: await sealToken(vault, token) });
  return { ...rest, servers: sealed };
}

export interface LoadedManagedConfig {
  readonly config: ManagedConfig;
  /** Where it came from, for SettingsDto.managedBy: file paths and "environment variables". */
  readonly sources: readonly string[];
  /** What was ignored, and why; logged and summarised for the user. */
  readonly errors: readonly string[];
}

/** Candidate config files, first found wins. ANNOTRAY_CONFIG replaces the list. */
export function managedConfigPaths(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
  appDir?: string,
): string[] {
  if (env.ANNOTRAY_CONFIG) return [env.ANNOTRAY_CONFIG];
  const system =
    platform === 'win32'
      ? join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', 'Annotray', CONFIG_FILE_NAME)
      : platform === 'darwin'
        ? '/Library/Application Support/Annotray/config.json'
        : '/etc/annotray/config.json';
  return appDir ? [system, join(appDir, APP_DIR_CONFIG_FILE_NAME)] : [system];
}

function issues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

export function parseManagedConfig(
  text: string,
  where: string,
): { ok: true; config: ManagedConfig } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${where} is not valid JSON: ${(error as Error).message}` };
  }
  const result = managedConfigSchema.safeParse(json);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, error: `${where} was ignored: ${issues(result.error)}` };
}

/** The variable behind each field of the one server the environment can describe. */
const ENV_NAMES: Readonly<Record<string, string>> = {
  url: 'ANNOTRAY_SERVER_URL',
  channels: 'ANNOTRAY_CHANNELS',
  token: 'ANNOTRAY_TOKEN',
  authScheme: 'ANNOTRAY_AUTH_SCHEME',
  eventsPath: 'ANNOTRAY_EVENTS_PATH',
  transport: 'ANNOTRAY_TRANSPORT',
  socketPath: 'ANNOTRAY_SOCKET_PATH',
  taskUrl: 'ANNOTRAY_TASK_URL',
  name: 'ANNOTRAY_SERVER_NAME',
  id: 'ANNOTRAY_SERVER_ID',
  idleRefreshSeconds: 'ANNOTRAY_IDLE_REFRESH',
  updateUrl: 'ANNOTRAY_UPDATE_URL',
};

/** One server (and the update URL) from ANNOTRAY_* variables. */
export function managedConfigFromEnv(env: Readonly<Record<string, string | undefined>>): {
  config?: ManagedConfig;
  errors: string[];
} {
  const raw: Record<string, unknown> = {};
  if (Object.entries(ENV_NAMES).some(([field, name]) => field !== 'updateUrl' && env[name])) {
    const idle = env.ANNOTRAY_IDLE_REFRESH;
    const server = Object.fromEntries(
      Object.entries({
        id: env.ANNOTRAY_SERVER_ID,
        name: env.ANNOTRAY_SERVER_NAME,
        url: env.ANNOTRAY_SERVER_URL,
        channels: env.ANNOTRAY_CHANNELS?.split(/[\s,]+/).filter((c) => c.length > 0),
        token: env.ANNOTRAY_TOKEN,
        authScheme: env.ANNOTRAY_AUTH_SCHEME,
        eventsPath: env.ANNOTRAY_EVENTS_PATH,
        transport: env.ANNOTRAY_TRANSPORT,
        socketPath: env.ANNOTRAY_SOCKET_PATH,
        taskUrl: env.ANNOTRAY_TASK_URL,
        idleRefreshSeconds: idle ? Number(idle) : undefined,
      }).filter(([, v]) => v !== undefined && v !== ''),
    );
    raw.servers = [server];
  }
  if (env.ANNOTRAY_UPDATE_URL) raw.updateUrl = env.ANNOTRAY_UPDATE_URL;
  if (Object.keys(raw).length === 0) return { errors: [] };
  const result = managedConfigSchema.safeParse(raw);
  if (result.success) return { config: result.data, errors: [] };
  const errors = result.error.issues.map((issue) => {
    const field = String(issue.path[0] === 'servers' ? issue.path[2] : issue.path[0]);
    return `${ENV_NAMES[field] ?? field}: ${issue.message.endsWith('received undefined') ? 'not set' : issue.message}`;
  });
  return { errors: [`the ANNOTRAY_* environment variables were ignored: ${errors.join('; ')}`] };
}

function serverId(server: Pick<ManagedServer, 'id' | 'url'>): string {
  return server.id ?? newServerId(server.url, new Set());
}

/** What a managed entry that leaves a field out (and has no stored entry to take it from) gets. */
const SERVER_DEFAULTS = {
  authScheme: 'auto',
  transport: 'sse',
  idleRefreshSeconds: IDLE_REFRESH_SECONDS.default,
} as const;

/** `over` wins: its servers replace those with the same id, its preferences and update URL override. */
export function mergeManagedConfigs(base: ManagedConfig, over: ManagedConfig): ManagedConfig {
  const servers = [...(base.servers ?? [])];
  for (const server of over.servers ?? []) {
    const at = servers.findIndex((s) => serverId(s) === serverId(server));
    if (at >= 0) servers[at] = server;
    else servers.push(server);
  }
  const preferences =
    base.preferences || over.preferences ? { ...base.preferences, ...over.preferences } : undefined;
  const updateUrl = over.updateUrl ?? base.updateUrl;
  return {
    ...(servers.length > 0 ? { servers } : {}),
    ...(preferences ? { preferences } : {}),
    ...(updateUrl ? { updateUrl } : {}),
  };
}

export interface ManagedConfigEnvironment {
  readonly platform: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder of the executable (or of the AppImage). */
  readonly appDir?: string;
  /** Reads a file; undefined when it does not exist; throws on any other problem. */
  readonly readFile: (path: string) => string | undefined;
}

/** The config file (first found) merged under the environment variables. */
export function loadManagedConfig(environment: ManagedConfigEnvironment): LoadedManagedConfig {
  const errors: string[] = [];
  const sources: string[] = [];
  let config: ManagedConfig = {};
  for (const path of managedConfigPaths(environment.platform, environment.env, environment.appDir)) {
    let text: string | undefined;
    try {
      text = environment.readFile(path);
    } catch (error) {
      errors.push(`${path} could not be read: ${(error as Error).message}`);
      break;
    }
    if (text === undefined) {
      if (environment.env.ANNOTRAY_CONFIG) errors.push(`ANNOTRAY_CONFIG names ${path}, which does not exist`);
      continue;
    }
    const parsed = parseManagedConfig(text, path);
    if (parsed.ok) {
      config = parsed.config;
      sources.push(path);
    } else {
      errors.push(parsed.error);
    }
    break;
  }
  const fromEnv = managedConfigFromEnv(environment.env);
  errors.push(...fromEnv.errors);
  if (fromEnv.config) {
    config = mergeManagedConfigs(config, fromEnv.config);
    sources.push('environment variables');
  }
  return { config, sources, errors };
}

/** For SettingsDto.managedBy; undefined when nothing is managed. */
export function describeManagedSources(loaded: LoadedManagedConfig): string | undefined {
  if (loaded.sources.length === 0 && loaded.errors.length === 0) return undefined;
  const from = loaded.sources.length > 0 ? loaded.sources.join(' and ') : 'an administrator';
  return loaded.errors.length > 0 ? `${from} (some entries were ignored: see the log file)` : from;
}

function followsSame(a: StoredServer, b: StoredServer): boolean {
  return a.url === b.url && a.channels.some((c) => b.channels.includes(c));
}

/**
 * The stored settings with the managed servers and preferences applied. A managed server
 * replaces the stored entry with its id (keeping that entry's token unless the admin gives
 * one); channels another entry already follows on the same URL are taken from that entry.
 */
export function applyManagedConfig(
  settings: StoredSettings,
  config: SealedManagedConfig,
): { settings: StoredSettings; errors: string[] } {
  const errors: string[] = [];
  let servers = [...settings.servers];
  const managed: StoredServer[] = [];
  for (const entry of config.servers ?? []) {
    const id = serverId(entry);
    const existing = servers.find((s) => s.id === id);
    // Each field: the admin's, else the person's stored one, else the default. The token is
    // sealed apart (entry.token); validateServerInput keeps the stored one when it says so.
    const { token: _token, tokenHint: _hint, ...kept } = existing ?? {};
    const { token: _sealed, ...given } = entry;
    const result = validateServerInput(
      {
        ...SERVER_DEFAULTS,
        name: id,
        ...kept,
        ...given,
        // Empty templates mean "the default" to validateServerInput: an admin's omission is not a person's edit.
        eventsPath: entry.eventsPath ?? '',
        taskUrl: entry.taskUrl ?? '',
        id,
      },
      existing,
      [],
      entry.token,
    );
    if (!result.ok) {
      errors.push(
        `managed server ${id} was ignored: ${result.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
      continue;
    }
    const server: StoredServer = { ...result.server, id };
    managed.push(server);
    servers = existing ? servers.map((s) => (s === existing ? server : s)) : [...servers, server];
  }
  servers = servers
    .map((s) => {
      if (managed.includes(s)) return s;
      const taken = managed.filter((m) => followsSame(m, s)).flatMap((m) => m.channels);
      return taken.length > 0 ? { ...s, channels: s.channels.filter((c) => !taken.includes(c)) } : s;
    })
    .filter((s) => s.channels.length > 0);
  const p = config.preferences;
  const preferences = p
    ? {
        ...settings.preferences,
        ...(p.errorsAlwaysNotify !== undefined ? { errorsAlwaysNotify: p.errorsAlwaysNotify } : {}),
        ...(p.sound !== undefined ? { sound: p.sound } : {}),
        ...(p.openAtLogin !== undefined ? { openAtLogin: p.openAtLogin } : {}),
        ...(p.shortcut !== undefined ? { shortcut: p.shortcut } : {}),
        ...(p.quietHours !== undefined ? { quietHours: p.quietHours as QuietHours } : {}),
        ...(p.unreachableAlertMinutes !== undefined
          ? { unreachableAlertMinutes: p.unreachableAlertMinutes }
          : {}),
        types: { ...settings.preferences.types, ...p.types },
      }
    : settings.preferences;
  return { settings: { ...settings, servers, preferences }, errors };
}

/** A SettingsRepository whose loads carry the managed configuration. */
export function withManagedConfig(
  repository: SettingsRepository,
  config: SealedManagedConfig,
  logger: Logger,
): SettingsRepository {
  return {
    load: () => {
      const applied = applyManagedConfig(repository.load(), config);
      for (const error of applied.errors) logger.log('warn', `managed configuration: ${error}`);
      return applied.settings;
    },
    save: (settings) => repository.save(settings),
  };
}
