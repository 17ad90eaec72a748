// The settings file's records as zod schemas, built on the server fields every shape shares
// (contract/server-schema.ts); the types in settings-model.ts are inferred from them, and the
// JSON schema electron-store checks the file against on every read and write is derived from
// them here. That JSON schema pins the types and bounds of what is present, and nothing more:
// unknown keys pass (a file written by a newer Annotray opens in an older one), no field is
// required and the values of a map are not checked (one server entry missing a field, one
// unknown event type, is dropped by migrateSettings(), not the whole file). A file it rejects
// has the wrong structure, and is moved aside.

import { z } from 'zod';
import { preferencesInputSchema } from '../../contract/ipc-contract.ts';
import { SERVER_TEXT_MAX } from '../../contract/limits.ts';
import { serverFieldsSchema } from '../../contract/server-schema.ts';

/** A token at rest: encrypted by the OS keyring, or — only where none exists, and the user is told — plain. */
export const storedTokenSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('encrypted'), data: z.string() }),
  z.object({ kind: z.literal('plain'), value: z.string() }),
]);

export const storedServerSchema = z.object({
  ...serverFieldsSchema.shape,
  id: z.string().min(1).max(SERVER_TEXT_MAX.id),
  token: storedTokenSchema.optional(),
  /** The token's last 4 characters, kept apart so the window can tell tokens apart without decrypting. */
  tokenHint: z.string().max(8).optional(),
});

export const storedPreferencesSchema = z.object({
  types: z.record(z.string(), z.boolean()),
  errorsAlwaysNotify: z.boolean(),
  sound: z.boolean(),
  /** Epoch ms, 'indefinite', or null when not paused. */
  pausedUntil: z.union([z.number(), z.literal('indefinite'), z.null()]),
  openAtLogin: z.boolean(),
  shortcut: z.string().max(100),
  // Checked field by field in migrateSettings (a bad schedule or mute falls back alone), so the
  // file's check pins only that they are objects; the types are the engine's (settings-model.ts).
  quietHours: z.looseObject({}),
  mutes: z.record(z.string(), z.union([z.number(), z.literal('indefinite')])),
  // The same bounds the window's request is held to.
  unreachableAlertMinutes: preferencesInputSchema.shape.unreachableAlertMinutes,
});

const storedSettingsSchema = z.object({
  version: z.number().int().min(0),
  servers: z.array(storedServerSchema).max(100),
  preferences: storedPreferencesSchema,
});

type JsonSchema = Record<string, unknown>;

/** The zod schema as JSON Schema that checks structure only (see the header). */
function structureOnly(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const json = jsonSchema as JsonSchema;
      delete json.required;
      // Without `required`, two token kinds could both match a partial entry: any one will do.
      if (json.oneOf) {
        json.anyOf = json.oneOf;
        delete json.oneOf;
      }
      if (json.additionalProperties === false) delete json.additionalProperties;
      if (zodSchema._zod.def.type === 'record') {
        delete json.additionalProperties;
        delete json.propertyNames;
      }
    },
  }) as JsonSchema;
}

/** electron-store's `schema` option: one JSON schema per top-level key. */
export const SETTINGS_SCHEMA = structureOnly(storedSettingsSchema).properties as Record<string, JsonSchema>;
