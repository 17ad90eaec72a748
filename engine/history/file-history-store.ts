// History on disk, per channel in a folder the app or CLI chooses: a JSON snapshot written
// atomically (temp file + rename), and a journal of the changes since, appended one JSON line
// per change. A write never serializes the whole history except at compaction, a torn last
// journal line (a crash mid-append) is ignored. A snapshot that is not an Annotray history is
// moved aside (kept for a person) and reported; a file that cannot be read at all (EACCES after
// a `sudo` run, a folder in its place) is reported as such, so the keeper refuses to write over
// it. Neither is fatal.

import { hash } from 'node:crypto';
import { appendFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryStore, Logger, StoredHistory } from '../ports.ts';
import { moveAside, writeFileAtomic } from '../storage/atomic-file.ts';
import { ChannelHistory, type HistoryRecord, type HistorySnapshot } from './channel-history.ts';
import { HistoryReadError } from './history-read-error.ts';

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

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** `named`: its snapshot says the names its events may leave out. */
function isStoredEvent(e: unknown, named = false): boolean {
  if (!isObject(e) || typeof e.id !== 'string' || typeof e.time !== 'number') return false;
  // A compact event (version 2) is rebuilt from its fields: each must be what it says.
  const name = (value: unknown) => typeof value === 'string' || (named && value === undefined);
  return (
    e.data === undefined ||
    (typeof e.data === 'string' &&
      name(e.channelKey) &&
      name(e.serverId) &&
      name(e.channel) &&
      typeof e.type === 'string' &&
      typeof e.receivedAt === 'number')
  );
}

function isNames(value: unknown): boolean {
  return (
    value === undefined ||
    (isObject(value) && typeof value.serverId === 'string' && typeof value.channel === 'string')
  );
}

function isStoredGap(g: unknown): boolean {
  return (
    isObject(g) &&
    typeof g.id === 'string' &&
    typeof g.from === 'number' &&
    (g.to === undefined || typeof g.to === 'number') &&
    typeof g.reason === 'string'
  );
}

/** Everything restore() relies on: a file that passes can be merged without throwing. */
function isSnapshot(value: unknown, channelKey: string): value is HistorySnapshot {
  if (!isObject(value)) return false;
  return (
    (value.version === 1 || value.version === 2) &&
    value.channelKey === channelKey &&
    Array.isArray(value.events) &&
    Array.isArray(value.unread) &&
    Array.isArray(value.gaps) &&
    (value.lastEventId === undefined || typeof value.lastEventId === 'string') &&
    isNames(value.names) &&
    value.events.every((e) => isStoredEvent(e, value.names !== undefined)) &&
    value.unread.every((id) => typeof id === 'string') &&
    value.gaps.every(isStoredGap)
  );
}

/** Why a history file could not be read, in words that say what to do. */
function describeReadError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading ${path} (a file left by a run with sudo belongs to root: give it back to your user)`;
    case 'EISDIR':
      return `${path} is a folder, not a history file`;
    default:
      return `${path} could not be read (${code ?? (error as Error).message})`;
  }
}

export class FileHistoryStore implements HistoryStore {
  readonly #dir: string;
  readonly #logger: Logger | undefined;
  readonly #onCorrupt: ((report: CorruptFileReport) => void) | undefined;
  #ready: Promise<unknown> | undefined;
  /**
   * Channels whose journal, as read, ends without its newline (a write cut off after a
   * record's last byte): the next append starts a line, or it would join that record.
   */
  readonly #endsMidLine = new Set<string>();

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

  journalPathFor(channelKey: string): string {
    return this.pathFor(channelKey).replace(/\.json$/, '.journal.jsonl');
  }

  /** The stored history; undefined when there is none. Rejects with a HistoryReadError. */
  async load(channelKey: string): Promise<StoredHistory | undefined> {
    const snapshot = await this.#loadSnapshot(channelKey);
    const journal = await readText(this.journalPathFor(channelKey));
    // A version 1 file (plain events) costs three times as much to read: without a journal
    // count, the keeper saves it whole, compactly, once every history is in.
    const upgrade = snapshot?.version === 1;
    if (journal === undefined)
      return snapshot && (upgrade ? snapshot : { ...snapshot, journal: { lines: 0, unreadable: 0 } });
    // Replay with no bound: the keeper trims to its own limits when it merges.
    const history = new ChannelHistory(channelKey, {
      maxEvents: Number.MAX_SAFE_INTEGER,
      maxGaps: Number.MAX_SAFE_INTEGER,
    });
    if (snapshot) history.restore(snapshot);
    if (journal.length > 0 && !journal.endsWith('\n')) this.#endsMidLine.add(channelKey);
    let skipped = 0;
    let lines = 0;
    for (const line of journal.split('\n')) {
      if (line.length === 0) continue;
      lines += 1;
      const record = parseRecord(line);
      if (record) history.apply(record);
      else skipped += 1;
    }
    if (skipped > 0) {
      this.#logger?.log('warn', 'skipped unreadable history journal lines', { channel: channelKey, skipped });
    }
    // Straight into the keeper's history: no need to turn its events back into plain objects.
    const read = history.snapshot(false);
    return upgrade ? read : { ...read, journal: { lines, unreadable: skipped } };
  }

  /**
   * The last SSE id, from the journal's last lines or else the snapshot's first bytes (where
   * ChannelHistory puts it): a few kB read, however large the history. Undefined when none or
   * unreadable (the full load reports problems).
   */
  async loadCursor(channelKey: string): Promise<string | undefined> {
    const fromJournal = await readEdge(this.journalPathFor(channelKey), 'tail', CURSOR_TAIL_BYTES);
    if (fromJournal) {
      const lines = fromJournal.split('\n');
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        const record = lines[i]?.startsWith('{"t":"cursor"') ? parseRecord(lines[i] as string) : undefined;
        if (record?.t === 'cursor') return record.id;
      }
    }
    const head = await readEdge(this.pathFor(channelKey), 'head', CURSOR_HEAD_BYTES);
    const match = head ? /^\{"lastEventId":("(?:[^"\\]|\\.)*")/.exec(head) : null;
    if (!match?.[1]) return undefined;
    try {
      const id: unknown = JSON.parse(match[1]);
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  }

  async save(channelKey: string, snapshot: HistorySnapshot): Promise<void> {
    await this.#ensureDir();
    await writeFileAtomic(this.pathFor(channelKey), JSON.stringify(snapshot));
    // The snapshot holds everything the journal did. A crash before this removal replays the
    // journal over the new snapshot, which changes nothing (records are idempotent).
    await rm(this.journalPathFor(channelKey), { force: true });
    this.#endsMidLine.delete(channelKey);
  }

  async append(channelKey: string, records: readonly HistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#ensureDir();
    // An empty line is skipped when the journal is read.
    let text = this.#endsMidLine.delete(channelKey) ? '\n' : '';
    for (const record of records) text += `${JSON.stringify(record)}\n`;
    await appendFile(this.journalPathFor(channelKey), text, { mode: 0o600 });
  }

  async #ensureDir(): Promise<void> {
    this.#ready ??= mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await this.#ready;
  }

  async #loadSnapshot(channelKey: string): Promise<HistorySnapshot | undefined> {
    const path = this.pathFor(channelKey);
    const text = await readText(path);
    if (text === undefined) return undefined;
    if (text.length === 0) {
      // A crash between creating and writing leaves an empty file (the atomic write prevents
      // it, an older version or another tool may not): nothing to keep.
      return undefined;
    }
    let reason: string | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isSnapshot(parsed, channelKey)) return parsed;
      reason = 'the file is JSON but not an Annotray history of this channel';
    } catch (error) {
      reason = `the file is not valid JSON (${(error as Error).message})`;
    }
    let movedTo: string;
    try {
      movedTo = await moveAside(path, Date.now());
    } catch (error) {
      throw new HistoryReadError(`${reason}; it could not be moved aside either (${String(error)})`, false);
    }
    // The journal holds changes on top of the unreadable snapshot: keep it beside it.
    await moveAside(this.journalPathFor(channelKey), Date.now()).catch(() => undefined);
    const report = { path, movedTo, reason };
    this.#logger?.log('warn', 'history file was unreadable and was moved aside', { ...report });
    this.#onCorrupt?.(report);
    throw new HistoryReadError(
      `the stored history ${path} was unreadable (${reason}); it was moved to ${movedTo}`,
      true,
    );
  }
}

/** The journal's end holds the latest cursor record (one is appended with every write). */
const CURSOR_TAIL_BYTES = 64 * 1024;
/** A snapshot starts with its cursor: an id is at most 1024 characters, escaped at most 6× that. */
const CURSOR_HEAD_BYTES = 8 * 1024;

/** The first or last `bytes` of a file as text; undefined when it cannot be read. */
async function readEdge(path: string, edge: 'head' | 'tail', bytes: number): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, edge === 'head' ? 0 : size - length);
    return buffer.toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HistoryReadError(describeReadError(error, path), false);
  }
}

/** One journal line, or undefined when it is torn or not a record. */
function parseRecord(line: string): HistoryRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const r = value as {
    t?: unknown;
    event?: { id?: unknown; time?: unknown };
    ids?: unknown;
    gap?: unknown;
  };
  switch (r.t) {
    case 'event':
      return isStoredEvent(r.event) ? (value as HistoryRecord) : undefined;
    case 'read':
      return Array.isArray(r.ids) && r.ids.every((id) => typeof id === 'string')
        ? (value as HistoryRecord)
        : undefined;
    case 'readAll':
      return value as HistoryRecord;
    case 'gap':
      return isStoredGap(r.gap) ? (value as HistoryRecord) : undefined;
    case 'cursor':
      return typeof (r as { id?: unknown }).id === 'string' ? (value as HistoryRecord) : undefined;
    default:
      return undefined;
  }
}
