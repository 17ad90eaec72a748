// What the find bar does to the list: filter by event type, by text, by unread; and how many
// events each choice hides, so a filter never silently empties the list.

import type { EventDto } from '../../../contract/dto.ts';

/** The category of every event type the engine does not know (`EventDto.known` is false). */
export const OTHER_TYPE = 'other';

export interface EventFilters {
  /** Type categories to show; empty shows every type. */
  readonly types: readonly string[];
  readonly text: string;
  readonly unreadOnly: boolean;
}

export const NO_FILTERS: EventFilters = { types: [], text: '', unreadOnly: false };

export function typeCategory(event: EventDto): string {
  return event.known ? event.type : OTHER_TYPE;
}

export function isFiltering(filters: EventFilters): boolean {
  return filters.types.length > 0 || filters.text.trim() !== '' || filters.unreadOnly;
}

/** Lower-cased words; an event matches when every word occurs in one of its searchable fields. */
export function searchTerms(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

function searchableText(event: EventDto): string {
  const parts = [event.title, event.body, event.subject, event.message, event.documentName];
  if (event.taskId !== undefined) parts.push(`task ${event.taskId}`, `#${event.taskId}`);
  return parts
    .filter((p) => p !== undefined && p !== '')
    .join('\n')
    .toLowerCase();
}

export function matchesText(event: EventDto, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = searchableText(event);
  return terms.every((t) => haystack.includes(t));
}

/** The events the filters let through; `events` itself when no filter is set. */
export function filterEvents(events: readonly EventDto[], filters: EventFilters): readonly EventDto[] {
  if (!isFiltering(filters)) return events;
  const types = filters.types.length > 0 ? new Set(filters.types) : null;
  const terms = searchTerms(filters.text);
  return events.filter(
    (e) =>
      (!filters.unreadOnly || e.unread) &&
      (types === null || types.has(typeCategory(e))) &&
      matchesText(e, terms),
  );
}

/** How many events of each type category the view holds (before filtering), for the type chips. */
export function countByType(events: readonly EventDto[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const category = typeCategory(e);
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return counts;
}

export interface FilterCounts {
  readonly total: number;
  readonly shown: number;
  readonly hidden: number;
  /** How many events each filter alone would hide: says which one emptied the list. */
  readonly hiddenBy: { readonly types: number; readonly text: number; readonly unreadOnly: number };
}

export function filterCounts(
  events: readonly EventDto[],
  shown: number,
  filters: EventFilters,
): FilterCounts {
  const only = (partial: Partial<EventFilters>): number =>
    events.length - filterEvents(events, { ...NO_FILTERS, ...partial }).length;
  return {
    total: events.length,
    shown,
    hidden: events.length - shown,
    hiddenBy: {
      types: filters.types.length > 0 ? only({ types: filters.types }) : 0,
      text: filters.text.trim() !== '' ? only({ text: filters.text }) : 0,
      unreadOnly: filters.unreadOnly ? only({ unreadOnly: true }) : 0,
    },
  };
}
