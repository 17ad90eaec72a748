// Settings on disk through electron-store: its options (JSON schema, defaults, file mode) and
// the SettingsRepository AppCore uses. A file that is not JSON or breaks the schema is moved
// aside for a person to inspect and the app starts on defaults; it never refuses to start.
// The store is opened through a factory, so tests run the real electron-store in Node.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../engine/ports.ts';
import { moveAsideSync } from '../../engine/storage/atomic-file.ts';
import type { SettingsRepository } from '../app-core.ts';
import { DEFAULT_SETTINGS, migrateSettings, type StoredSettings } from './settings-model.ts';
import { SETTINGS_SCHEMA } from './settings-schema.ts';

export const SETTINGS_NAME = 'settings';

/** The part of an electron-store (or conf) instance used here. */
export interface KeyValueStore {
  store: Record<string, unknown>;
}

/**
 * Options for `new ElectronStore(…)`. Migrations are not electron-store's (keyed by the app's
 * version): the file carries its own `version` and migrateSettings() runs on every load.
 */
export function electronStoreOptions(cwd: string) {
  return {
    name: SETTINGS_NAME,
    cwd,
    schema: SETTINGS_SCHEMA,
    defaults: DEFAULT_SETTINGS,
    // Clearing would silently destroy a person's servers; this repository moves the file aside instead.
    clearInvalidConfig: false,
    // Tokens live in this file (encrypted where a keyring exists): owner-only.
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
    watch: false,
  };
}

export interface CorruptSettingsReport {
  readonly path: string;
  readonly movedTo: string;
  readonly reason: string;
}

export interface StoreSettingsRepositoryOptions {
  readonly open: () => KeyValueStore;
  /** Folder of the settings file (electron-store's `cwd`). */
  readonly dir: string;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onCorrupt?: (report: CorruptSettingsReport) => void;
}

/** Errors that mean the file's content is unusable, as opposed to e.g. a permission problem. */
function isCorruptContent(error: unknown): boolean {
  const name = (error as { name?: string; constructor?: { name?: string } })?.constructor?.name ?? '';
  return (
    error instanceof SyntaxError ||
    name === 'SchemaViolationError' ||
    /schema|not valid JSON/i.test(String(error))
  );
}

export class StoreSettingsRepository implements SettingsRepository {
  readonly #options: StoreSettingsRepositoryOptions;
  #store: KeyValueStore | undefined;

  constructor(options: StoreSettingsRepositoryOptions) {
    this.#options = options;
  }

  get path(): string {
    return join(this.#options.dir, `${SETTINGS_NAME}.json`);
  }

  load(): StoredSettings {
    let raw: unknown;
    try {
      // electron-store reads the file again on every access to `store`.
      this.#store ??= this.#options.open();
      raw = this.#store.store;
    } catch (error) {
      if (!isCorruptContent(error) || !existsSync(this.path)) throw error;
      const movedTo = this.#moveAside();
      const report = {
        path: this.path,
        movedTo,
        reason: String((error as Error).message ?? error).slice(0, 500),
      };
      this.#options.logger.log(
        'error',
        'the settings file was unreadable: moved aside, starting from defaults',
        {
          ...report,
        },
      );
      this.#options.onCorrupt?.(report);
      this.#store = this.#options.open();
      raw = this.#store.store;
    }
    const settings = migrateSettings(raw);
    if (JSON.stringify(settings) !== JSON.stringify(raw)) {
      this.#options.logger.log('info', 'settings migrated', {
        from: (raw as { version?: unknown } | undefined)?.version ?? 'none',
        to: settings.version,
      });
      this.save(settings);
    }
    return settings;
  }

  save(settings: StoredSettings): void {
    if (!this.#store) this.#store = this.#options.open();
    this.#store.store = settings as unknown as Record<string, unknown>;
  }

  #moveAside(): string {
    return moveAsideSync(this.path, (this.#options.now ?? Date.now)());
  }
}

/** Settings kept only in memory: when the settings folder cannot be used at all. */
export class MemorySettingsRepository implements SettingsRepository {
  #settings: StoredSettings;
  constructor(settings: StoredSettings = DEFAULT_SETTINGS) {
    this.#settings = settings;
  }
  load(): StoredSettings {
    return this.#settings;
  }
  save(settings: StoredSettings): void {
    this.#settings = settings;
  }
}
