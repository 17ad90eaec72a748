// The engine's edges: everything it needs from the world arrives through these small
// interfaces, so the Electron app, the CLI and the tests each plug in their own.

import type { HistoryRecord, HistorySnapshot } from './history/channel-history.ts';
import type { NotificationIntent } from './policy/notification-intent.ts';

/** Wall-clock time and timers. Tests use a fake; the app and CLI use the real one. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  /** Lets the process exit while this timer is pending (Node); a no-op elsewhere. */
  unref?(): void;
}

/** A source of chance in [0, 1): backoff jitter. Injected so tests are deterministic. */
export type Random = () => number;

/** Receives one notification to show; implemented by Electron's Notification and by the CLI. */
export interface Notifier {
  notify(intent: NotificationIntent): void;
}

/** A history as a store read it back. */
export interface StoredHistory extends HistorySnapshot {
  /**
   * What was read back on top of the last full save (see HistoryStore.append): how many
   * journal lines, and how many of them could not be read (a torn last line after a crash).
   * With this the keeper can go on appending to a short, whole journal; absent, it saves the
   * history whole once it is read.
   */
  readonly journal?: { readonly lines: number; readonly unreadable: number };
}

/** Where each channel's history lives between runs. */
export interface HistoryStore {
  /**
   * The stored history, undefined when there is none. Rejects with a HistoryReadError when
   * one exists but cannot be used (any other rejection is treated as "unread, still in place").
   */
  load(channelKey: string): Promise<StoredHistory | undefined>;
  /** Replaces everything stored for the channel. */
  save(channelKey: string, snapshot: HistorySnapshot): Promise<void>;
  /**
   * Adds changes made since the last save. Optional: a store without it gets a full save
   * for every change, which costs O(history) per write instead of O(change).
   */
  append?(channelKey: string, records: readonly HistoryRecord[]): Promise<void>;
  /**
   * The last SSE id stored for the channel, read without loading its history (a full history
   * takes seconds to parse; the first connection should not wait for it). Optional: without
   * it the channel subscribes once its history is read.
   */
  loadCursor?(channelKey: string): Promise<string | undefined>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured log lines; implementations must never receive a token (the engine redacts). */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const silentLogger: Logger = { log: () => {} };
