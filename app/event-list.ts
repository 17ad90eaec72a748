// The window's list of events for one channel or all of them: the newest 10,000, newest first,
// with every gap. Each channel's newest are taken and the channels merged, so DTOs are built
// only for what is listed (with 50 full channels: 10,000 DTOs, not 500,000 sorted and cut).

import type { EventDto, EventListDto, GapDto } from '../contract/dto.ts';
import type { Engine } from '../engine/engine.ts';
import type { OcrEvent } from '../engine/events/ocr-event.ts';
import { eventDto, gapDto } from './dto-mapping.ts';

const MAX_LISTED_EVENTS = 10_000;

/** The part of the engine a list is read from. */
export type ListedEngine = Pick<Engine, 'channels' | 'history'>;

function newestFirst(a: OcrEvent, b: OcrEvent): number {
  return b.time - a.time || b.receivedAt - a.receivedAt;
}

export function listEvents(engine: ListedEngine, channelKey: string | null): EventListDto {
  const keys = channelKey === null ? engine.channels().map((c) => c.key) : [channelKey];
  const lists: { events: OcrEvent[]; isUnread: (id: string) => boolean }[] = [];
  const gaps: GapDto[] = [];
  for (const key of keys) {
    const history = engine.history(key);
    if (!history) continue;
    // Newest last in history; take the newest of each channel, newest first, before merging.
    const list = history.events;
    const newest: OcrEvent[] = [];
    for (let i = list.length - 1; i >= 0 && newest.length < MAX_LISTED_EVENTS; i -= 1) {
      const e = list[i];
      if (e) newest.push(e);
    }
    // Nearly in order already (TimSort makes this about linear), and stable as before.
    newest.sort(newestFirst);
    lists.push({ events: newest, isUnread: history.isUnread });
    for (const g of history.gaps) gaps.push(gapDto(key, g));
  }
  // Merge the channels' lists and build DTOs only for what is listed: with 50 full channels
  // that is 10,000 DTOs (payloads pretty-printed), not 500,000 sorted and cut. On a tie the
  // earlier channel goes first, as the stable sort of all of them gave.
  const events: EventDto[] = [];
  const heads = lists.map(() => 0);
  while (events.length < MAX_LISTED_EVENTS) {
    let pick = -1;
    let best: OcrEvent | undefined;
    for (let l = 0; l < lists.length; l += 1) {
      const e = (lists[l] as (typeof lists)[number]).events[heads[l] as number];
      if (e !== undefined && (best === undefined || newestFirst(e, best) < 0)) {
        best = e;
        pick = l;
      }
    }
    if (best === undefined) break;
    heads[pick] = (heads[pick] as number) + 1;
    events.push(eventDto(best, (lists[pick] as (typeof lists)[number]).isUnread(best.id)));
  }
  gaps.sort((a, b) => b.from - a.from);
  return { events, gaps };
}
