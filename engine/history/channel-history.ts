// One channel's memory: its recent events (bounded), which of them are unread, and the
// windows during which the channel was disconnected, so the list can say honestly that
// events sent then were not received.

import {
  compactStoredEvent,
  type EventNames,
  Interner,
  type StoredEvent,
  storedEvent,
} from '../events/normalize.ts';
import type { OcrEvent } from '../events/ocr-event.ts';

/**
 * What kind of outage a gap row stands for. `cut`: a proxy closed the quiet stream and it was
 * re-subscribed at once; `stall`: a connection that had gone silent was replaced (if it had
 * stalled, events sent while it was silent were lost without any sign); `down` (or absent):
 * any other disconnection.
 */
export type GapKind = 'down' | 'cut' | 'stall';

export interface Gap {
  readonly id: string;
  readonly from: number;
  /** Undefined while the channel is still disconnected. */
  readonly to?: number;
  readonly reason: string;
  readonly kind?: GapKind;
  /**
   * Outages of the same kind merged into this one row because no event arrived between them
   * (a day of proxy cuts on a quiet channel is one row, not hundreds); 1 when absent.
   */
  readonly count?: number;
  /** For a merged row: the time actually unsubscribed, summed over its outages. */
  readonly downMs?: number;
  /**
   * Events sent during this gap (by the server's clock) that arrived after it: the server
   * resent them (after `Last-Event-ID`, or a replay of recent events).
   */
  readonly resent?: number;
}

/** Kinds whose consecutive outages share one row. */
const MERGED_KINDS: ReadonlySet<GapKind> = new Set(['cut', 'stall']);
/** How many of the latest gaps an arriving event is checked against (see creditResent). */
const RESENT_LOOKBACK = 4;

export interface HistorySnapshot {
  /** 2 since events are stored compactly; 1 (plain events only) is still read. */
  readonly version: 1 | 2;
  readonly channelKey: string;
  /** Oldest first: compact stored events, plain ones (version 1 files), or the engine's own. */
  readonly events: readonly StoredEvent[];
  readonly unread: readonly string[];
  readonly gaps: readonly Gap[];
  /**
   * The last SSE `id:` received (short enough to send back), so the first connection after a
   * restart asks the server for what came after it (`Last-Event-ID`).
   */
  readonly lastEventId?: string;
  /** The server and channel of its events, which then leave them out (see EventNames). */
  readonly names?: { readonly serverId: string; readonly channel: string };
}

/** One change to a channel's history, as the file store journals it between full saves. */
export type HistoryRecord =
  | { readonly t: 'event'; readonly event: StoredEvent }
  | { readonly t: 'read'; readonly ids: readonly string[] }
  | { readonly t: 'readAll' }
  | { readonly t: 'gap'; readonly gap: Gap }
  | { readonly t: 'cursor'; readonly id: string };

export interface HistoryLimits {
  readonly maxEvents: number;
  readonly maxGaps: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { maxEvents: 10_000, maxGaps: 500 };

/** What a dropped event's slot holds until the slots are cut off (one object, not the event). */
const DROPPED: OcrEvent = Object.freeze({
  id: '',
  channelKey: '',
  serverId: '',
  channel: '',
  type: '',
  known: false,
  title: '',
  body: '',
  time: 0,
  receivedAt: 0,
  payload: null,
});

export class ChannelHistory {
  readonly channelKey: string;
  readonly #limits: HistoryLimits;
  /** Events oldest first; entries before `#start` were dropped and await compaction. */
  #events: OcrEvent[] = [];
  #start = 0;
  /** Every held event's id → whether it is unread: one lookup per new event, where two Sets took two. */
  readonly #ids = new Map<string, boolean>();
  #unreadCount = 0;
  #gaps: Gap[] = [];
  #gapSeq = 0;
  /** Events added since the last gap opened: a cut or stall merges into the last row only at 0. */
  #eventsSinceGap = 0;
  /** When the current outage of the open gap began (later than `from` for a merged row). */
  #outageFrom = 0;
  #lastEventId: string | undefined;
  /** Names shared by the events journaled records bring back (see compactStoredEvent). */
  readonly #interner = new Interner();

  constructor(channelKey: string, limits: HistoryLimits = DEFAULT_LIMITS) {
    this.channelKey = channelKey;
    this.#limits = limits;
  }

  /** Adds a new event as unread; false when an event with that id is already here. */
  add(event: OcrEvent): boolean {
    if (this.#ids.has(event.id)) return false;
    this.#events.push(event);
    this.#ids.set(event.id, true);
    this.#unreadCount += 1;
    this.#eventsSinceGap += 1;
    this.#trim();
    return true;
  }

  /**
   * Counts a just-added event toward the gap it was sent in, when it was sent during one of the
   * latest gaps (server time) and arrived after that gap closed: the server resent it. Returns
   * the changed gap.
   */
  creditResent(event: OcrEvent): Gap | undefined {
    if (event.timeIsReceived) return undefined;
    const first = Math.max(0, this.#gaps.length - RESENT_LOOKBACK);
    for (let i = this.#gaps.length - 1; i >= first; i -= 1) {
      const gap = this.#gaps[i] as Gap;
      if (gap.to === undefined || event.receivedAt < gap.to) continue;
      if (event.time < gap.from || event.time >= gap.to) continue;
      const credited: Gap = { ...gap, resent: (gap.resent ?? 0) + 1 };
      this.#gaps[i] = credited;
      return credited;
    }
    return undefined;
  }

  /** The last SSE id worth sending back after a restart (see HistorySnapshot.lastEventId). */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** Returns true when the id changed. */
  setLastEventId(id: string): boolean {
    if (id === this.#lastEventId) return false;
    this.#lastEventId = id;
    return true;
  }

  /** How many events are held, without compacting what was dropped (asked after every batch). */
  get size(): number {
    return this.#events.length - this.#start;
  }

  /** Events, oldest first. The array may be the history's own: do not modify it. */
  get events(): readonly OcrEvent[] {
    if (this.#start > 0) this.#compact();
    return this.#events;
  }

  get gaps(): readonly Gap[] {
    return this.#gaps;
  }

  get unreadCount(): number {
    return this.#unreadCount;
  }

  isUnread(id: string): boolean {
    return this.#ids.get(id) === true;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Marks the given events read; returns how many changed. */
  markRead(ids: Iterable<string>): number {
    let changed = 0;
    for (const id of ids) {
      if (this.#ids.get(id) !== true) continue;
      this.#ids.set(id, false);
      changed += 1;
    }
    this.#unreadCount -= changed;
    return changed;
  }

  markAllRead(): number {
    const changed = this.#unreadCount;
    if (changed > 0) for (const [id, unread] of this.#ids) if (unread) this.#ids.set(id, false);
    this.#unreadCount = 0;
    return changed;
  }

  /**
   * Starts a disconnection window unless one is already open. A cut or stall that follows a
   * closed gap of the same kind with no event between them reopens that row and counts one
   * more outage in it.
   */
  openGap(from: number, reason: string, kind: GapKind = 'down'): Gap | undefined {
    const last = this.#gaps.at(-1);
    if (last && last.to === undefined) return undefined;
    this.#outageFrom = from;
    if (last && this.#eventsSinceGap === 0 && MERGED_KINDS.has(kind) && last.kind === kind) {
      const { to, ...rest } = last;
      const merged: Gap = {
        ...rest,
        reason,
        count: (last.count ?? 1) + 1,
        downMs: last.downMs ?? (to ?? last.from) - last.from,
      };
      this.#gaps[this.#gaps.length - 1] = merged;
      return merged;
    }
    this.#eventsSinceGap = 0;
    this.#gapSeq += 1;
    const gap: Gap = { id: `${from}-${this.#gapSeq}`, from, reason, ...(kind !== 'down' ? { kind } : {}) };
    this.#gaps.push(gap);
    if (this.#gaps.length > this.#limits.maxGaps) this.#gaps = this.#gaps.slice(-this.#limits.maxGaps);
    return gap;
  }

  /** Ends the open disconnection window, if any. */
  closeGap(to: number): Gap | undefined {
    const last = this.#gaps.at(-1);
    if (!last || last.to !== undefined) return undefined;
    const end = Math.max(to, last.from);
    const closed: Gap = {
      ...last,
      to: end,
      ...(last.count !== undefined
        ? { downMs: (last.downMs ?? 0) + Math.max(0, end - Math.max(this.#outageFrom, last.from)) }
        : {}),
    };
    this.#gaps[this.#gaps.length - 1] = closed;
    return closed;
  }

  get openGapSince(): number | undefined {
    const last = this.#gaps.at(-1);
    return last && last.to === undefined ? last.from : undefined;
  }

  /** Replays one journaled change (idempotent: a record applied twice changes nothing more). */
  apply(record: HistoryRecord): void {
    switch (record.t) {
      case 'event':
        this.add(compactStoredEvent(record.event, this.#interner));
        return;
      case 'read':
        this.markRead(record.ids);
        return;
      case 'readAll':
        this.markAllRead();
        return;
      case 'gap': {
        const index = this.#gaps.findIndex((g) => g.id === record.gap.id);
        if (index >= 0) this.#gaps[index] = record.gap;
        else this.#gaps.push(record.gap);
        if (this.#gaps.length > this.#limits.maxGaps) this.#gaps = this.#gaps.slice(-this.#limits.maxGaps);
        return;
      }
      case 'cursor':
        this.#lastEventId = record.id;
        return;
    }
  }

  /**
   * Everything, for a store. Events are plain objects in their compact stored form (a store may
   * copy rather than serialize, and a copy drops getters) unless `plain` is false: for a
   * snapshot that goes straight into another ChannelHistory, as a store's journal replay does.
   */
  snapshot(plain = true): HistorySnapshot {
    const names = plain ? this.#names() : undefined;
    return {
      // First, so a store can read it from the head of the file (FileHistoryStore.loadCursor).
      ...(this.#lastEventId !== undefined ? { lastEventId: this.#lastEventId } : {}),
      version: 2,
      channelKey: this.channelKey,
      ...(names ? { names: { serverId: names.serverId, channel: names.channel } } : {}),
      events: plain ? this.events.map((e) => storedEvent(e, names)) : this.events.slice(),
      unread: this.#unreadIds(),
      gaps: this.#gaps.slice(),
    };
  }

  /**
   * Merges a snapshot loaded from disk under what arrived since start-up: stored events go
   * before live ones, duplicates are dropped, read state of stored events is kept.
   */
  restore(snapshot: HistorySnapshot): void {
    const live = this.events;
    // Stored events (plain objects from JSON) are kept as compactly as live ones.
    const interner = new Interner();
    const stored: OcrEvent[] = [];
    const storedUnread = new Set(snapshot.unread);
    const names = snapshot.names && { channelKey: snapshot.channelKey, ...snapshot.names };
    for (const e of snapshot.events) {
      if (this.#ids.has(e.id)) continue;
      const unread = storedUnread.has(e.id);
      this.#ids.set(e.id, unread);
      if (unread) this.#unreadCount += 1;
      stored.push(compactStoredEvent(e, interner, names));
    }
    // Live events keep their read state; stored ones take theirs from the snapshot.
    this.#events = [...stored, ...live];
    // A gap left open by a previous run (it stopped) lasts until this run is subscribed, when
    // nothing has happened in this run yet; otherwise it is closed where it began.
    const fresh = live.length === 0 && this.#gaps.length === 0;
    const gaps = snapshot.gaps.map((g, i) =>
      g.to === undefined && !(fresh && i === snapshot.gaps.length - 1) ? { ...g, to: g.from } : g,
    );
    if (fresh && gaps.at(-1)?.to === undefined) this.#outageFrom = gaps.at(-1)?.from ?? 0;
    this.#gaps = [...gaps, ...this.#gaps].slice(-this.#limits.maxGaps);
    // An id seen by this run is newer than the stored one.
    this.#lastEventId ??= snapshot.lastEventId;
    // No merging across a restart: the rows stay as stored.
    this.#eventsSinceGap = Math.max(this.#eventsSinceGap, stored.length > 0 || gaps.length > 0 ? 1 : 0);
    this.#trim();
  }

  /** The names of this channel's newest event, when it is this channel's. */
  #names(): EventNames | undefined {
    const newest = this.#events.at(-1);
    return newest !== undefined && newest !== DROPPED && newest.channelKey === this.channelKey
      ? { channelKey: newest.channelKey, serverId: newest.serverId, channel: newest.channel }
      : undefined;
  }

  /** Unread ids, oldest event first. */
  #unreadIds(): string[] {
    const ids: string[] = [];
    if (this.#unreadCount === 0) return ids;
    for (const e of this.events) if (this.#ids.get(e.id) === true) ids.push(e.id);
    return ids;
  }

  #trim(): void {
    const max = this.#limits.maxEvents;
    while (this.#events.length - this.#start > max) {
      const dropped = this.#events[this.#start] as OcrEvent;
      // The slot no longer holds the event, so it is garbage now, not at the next compaction.
      this.#events[this.#start] = DROPPED;
      this.#start += 1;
      if (this.#ids.get(dropped.id) === true) this.#unreadCount -= 1;
      this.#ids.delete(dropped.id);
    }
    // Dropped slots are cut off in batches: a full history costs O(1) per new event, where
    // splice(0, 1) copied the whole array every time (13–40 µs per event at 10,000). As the
    // slots hold nothing, a batch can be a whole history's worth: one copy per 10,000 events.
    if (this.#start >= Math.max(64, max)) this.#compact();
  }

  #compact(): void {
    this.#events = this.#events.slice(this.#start);
    this.#start = 0;
  }
}
