// History on disk: one JSON file per channel in a folder the app or CLI chooses. Writes are
// atomic; a file that cannot be read back is moved aside and reported, never fatal.

import { hash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryStore, Logger } from '../ports.ts';
import { moveAside, writeFileAtomic } from '../storage/atomic-file.ts';
import type { HistorySnapshot } from './channel-history.ts';

export interface CorruptFileReport {
  readonly path: string;
  readonly movedTo: string;
  readonly reason: string;
}

/** A readable, collision-free file name for a channel key such as `work/user_42`. */
export function historyFileName(channelKey: string): string {
  const readable = channelKey.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80);
  return `${readable}-${hash('sha1', channelKey).slice(0, 10)}.json`;
}

function isSnapshot(value: unknown, channelKey: string): value is HistorySnapshot {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<HistorySnapshot>;
  return (
    v.version === 1 &&
    v.channelKey === channelKey &&
    Array.isArray(v.events) &&
    Array.isArray(v.unread) &&
    Array.isArray(v.gaps) &&
    v.events.every(
      (e) => e !== null && typeof e === 'object' && typeof e.id === 'string' && typeof e.time === 'number',
    )
  );
}

export class FileHistoryStore implements HistoryStore {
  readonly #dir: string;
  readonly #logger: Logger | undefined;
  readonly #onCorrupt: ((report: CorruptFileReport) => void) | undefined;
  #ready: Promise<unknown> | undefined;

  constructor(
    dir: string,
    options: { logger?: Logger; onCorrupt?: (report: CorruptFileReport) => void } = {},
  ) {
    this.#dir = dir;
    this.#logger = options.logger;
    this.#onCorrupt = options.onCorrupt;
  }

  pathFor(channelKey: string): string {
    return join(this.#dir, historyFileName(channelKey));
  }

  async load(channelKey: string): Promise<HistorySnapshot | undefined> {
    const path = this.pathFor(channelKey);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let reason: string | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isSnapshot(parsed, channelKey)) return parsed;
      reason = 'the file is JSON but not an Annotray history of this channel';
    } catch (error) {
      reason = `the file is not valid JSON (${(error as Error).message})`;
    }
    const movedTo = await moveAside(path, Date.now());
    const report = { path, movedTo, reason };
    this.#logger?.log('warn', 'history file was unreadable and was moved aside', { ...report });
    this.#onCorrupt?.(report);
    return undefined;
  }

  async save(channelKey: string, snapshot: HistorySnapshot): Promise<void> {
    this.#ready ??= mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await this.#ready;
    await writeFileAtomic(this.pathFor(channelKey), JSON.stringify(snapshot));
  }
}
