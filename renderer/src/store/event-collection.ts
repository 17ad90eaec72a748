// The events and gaps the window holds for the channel it shows, kept in the order the
// engine lists them (newest first) as pushes arrive. Pure functions: the store calls them.

import type { EventDto, GapDto, ReadStateDto } from '../../../contract/dto.ts';

/** The most events one view holds; main lists at most this many per request too. */
export const MAX_EVENTS = 10_000;

/** The order of `events:list` (contract: newest first), applied to events pushed later. */
export function newestFirst(a: EventDto, b: EventDto): number {
  return b.time - a.time || b.receivedAt - a.receivedAt;
}

/** Whether an event or gap of `channelKey` belongs to the view of `scope` (null: every channel). */
export function inScope(scope: string | null, channelKey: string): boolean {
  return scope === null || scope === channelKey;
}

/**
 * Adds events to a newest-first list, skipping ids it already holds (a push can repeat what
 * a list answer already had). Returns `current` itself when nothing was added.
 */
export function mergeEvents(
  current: readonly EventDto[],
  incoming: readonly EventDto[],
  limit = MAX_EVENTS,
): readonly EventDto[] {
  if (incoming.length === 0) return current;
  const known = new Set<string>();
  for (const e of current) known.add(e.id);
  const fresh: EventDto[] = [];
  for (const e of incoming) {
    if (known.has(e.id)) continue;
    known.add(e.id);
    fresh.push(e);
  }
  if (fresh.length === 0) return current;
  fresh.sort(newestFirst);
  const oldestFresh = fresh[fresh.length - 1];
  const head = current[0];
  // Live events are nearly always newer than everything held: prepend without re-sorting.
  const merged =
    head === undefined || (oldestFresh !== undefined && newestFirst(oldestFresh, head) <= 0)
      ? [...fresh, ...current]
      : [...current, ...fresh].sort(newestFirst);
  return merged.length > limit ? merged.slice(0, limit) : merged;
}

/** Applies a `push:readState` message. Returns `events` itself when no event changed. */
export function applyReadState(events: readonly EventDto[], state: ReadStateDto): readonly EventDto[] {
  const ids = state.eventIds === null ? null : new Set(state.eventIds);
  let changed = false;
  const next = events.map((e) => {
    if (!e.unread) return e;
    if (state.channelKey !== null && e.channelKey !== state.channelKey) return e;
    if (ids !== null && !ids.has(e.id)) return e;
    changed = true;
    return { ...e, unread: false };
  });
  return changed ? next : events;
}

/** Adds a gap or replaces the one with its id (a gap is pushed when it opens and again when it closes). */
export function upsertGap(gaps: readonly GapDto[], gap: GapDto): readonly GapDto[] {
  const rest = gaps.filter((g) => !(g.id === gap.id && g.channelKey === gap.channelKey));
  return [...rest, gap].sort((a, b) => b.from - a.from);
}
