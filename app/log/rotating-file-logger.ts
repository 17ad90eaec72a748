// The app's log file (userData/logs/annotray.log): the engine's Logger port on a file that
// rotates at a size limit and keeps a few old files, so a person can see what happened
// without the log ever filling the disk. Writes are queued and appended off the event path;
// every line passes the redaction step first, so a token never reaches the disk.

import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger, LogLevel } from '../../engine/ports.ts';
import { clipText } from '../../engine/text/clip.ts';
import { redactText, redactValue } from './redact.ts';

export interface RotatingFileLoggerOptions {
  readonly file: string;
  /** Rotate when the file would grow past this (default 1 MB). */
  readonly maxBytes?: number;
  /** Old files kept as `annotray.log.1` … `.N` (default 3). */
  readonly keep?: number;
  readonly level?: LogLevel;
  readonly now?: () => number;
  /** Also write each line here (the terminal in development). */
  readonly mirror?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LINE_MAX = 8_000;

export function formatLogLine(
  at: number,
  level: LogLevel,
  message: string,
  fields?: Record<string, unknown>,
): string {
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(redactValue(fields))}` : '';
  const line = `${new Date(at).toISOString()} ${level.toUpperCase().padEnd(5)} ${redactText(message)}${extra}`;
  return `${clipText(line, LINE_MAX)}\n`;
}

export class RotatingFileLogger implements Logger {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #now: () => number;
  readonly #mirror: ((line: string) => void) | undefined;
  #level: LogLevel;
  #queue: string[] = [];
  #size: number | undefined;
  #writing: Promise<void> | undefined;
  #failed = false;

  constructor(options: RotatingFileLoggerOptions) {
    this.file = options.file;
    this.#maxBytes = options.maxBytes ?? 1_000_000;
    this.#keep = options.keep ?? 3;
    this.#level = options.level ?? 'info';
    this.#now = options.now ?? Date.now;
    this.#mirror = options.mirror;
  }

  set level(level: LogLevel) {
    this.#level = level;
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.#level]) return;
    const line = formatLogLine(this.#now(), level, message, fields);
    this.#mirror?.(line);
    this.#queue.push(line);
    this.#writing ??= this.#drain();
  }

  /** Resolves when every line logged so far is on disk (before quitting, before opening the file). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    // One write at a time, in order; lines logged meanwhile are batched into the next write.
    await Promise.resolve();
    try {
      while (this.#queue.length > 0) {
        const chunk = this.#queue.join('');
        this.#queue = [];
        await this.#append(chunk);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #append(chunk: string): Promise<void> {
    const bytes = Buffer.byteLength(chunk);
    try {
      if (this.#size === undefined) {
        await mkdir(dirname(this.file), { recursive: true });
        this.#size = await stat(this.file).then(
          (s) => s.size,
          () => 0,
        );
      }
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) await this.#rotate();
      await appendFile(this.file, chunk, { mode: 0o600 });
      this.#size += bytes;
      this.#failed = false;
    } catch (error) {
      // Logging must never take the app down; say so once on stderr and keep trying later.
      if (!this.#failed)
        process.stderr.write(`annotray: cannot write the log file ${this.file}: ${String(error)}\n`);
      this.#failed = true;
      this.#size = undefined;
    }
  }

  async #rotate(): Promise<void> {
    await rm(`${this.file}.${this.#keep}`, { force: true });
    for (let i = this.#keep - 1; i >= 1; i -= 1) {
      await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(() => {});
    }
    await rename(this.file, `${this.file}.1`);
    this.#size = 0;
  }
}
