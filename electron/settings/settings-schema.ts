// The JSON schema electron-store checks the settings file against on every read and write.
// It pins the types of what Annotray relies on, and nothing more: unknown keys pass (a file
// written by a newer Annotray opens in an older one) and no field is required (one server
// entry missing a field is dropped by migrateSettings(), not the whole file). A file the
// schema rejects has the wrong structure, and is moved aside.

import { AUTH_SCHEMES, IDLE_REFRESH_SECONDS } from '../../contract/limits.ts';

const token = {
  type: 'object',
  properties: { kind: { enum: ['encrypted', 'plain'] }, data: { type: 'string' }, value: { type: 'string' } },
} as const;

const server = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64 },
    name: { type: 'string', maxLength: 100 },
    url: { type: 'string', maxLength: 2000 },
    eventsPath: { type: 'string', maxLength: 500 },
    taskUrl: { type: 'string', maxLength: 2000 },
    channels: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 200 } },
    authScheme: { enum: [...AUTH_SCHEMES] },
    transport: { enum: ['sse', 'ws'] },
    socketPath: { type: 'string', maxLength: 500 },
    token,
    tokenHint: { type: 'string', maxLength: 8 },
    idleRefreshSeconds: {
      type: 'number',
      minimum: IDLE_REFRESH_SECONDS.min,
      maximum: IDLE_REFRESH_SECONDS.max,
    },
  },
} as const;

const preferences = {
  type: 'object',
  properties: {
    types: { type: 'object' },
    errorsAlwaysNotify: { type: 'boolean' },
    sound: { type: 'boolean' },
    pausedUntil: { anyOf: [{ type: 'number' }, { const: 'indefinite' }, { type: 'null' }] },
    openAtLogin: { type: 'boolean' },
    shortcut: { type: 'string', maxLength: 100 },
    quietHours: { type: 'object' },
    mutes: { type: 'object' },
    unreachableAlertMinutes: { anyOf: [{ type: 'integer', minimum: 1, maximum: 1440 }, { type: 'null' }] },
  },
} as const;

/** electron-store's `schema` option: one JSON schema per top-level key. */
export const SETTINGS_SCHEMA = {
  version: { type: 'integer', minimum: 0 },
  servers: { type: 'array', maxItems: 100, items: server },
  preferences,
} as const;
