// The rows of the event list: the (filtered) events, newest first, with a heading at each new
// day and each disconnection gap where it happened, so missed events are never invisible.

import type { EventDto, GapDto } from '../../../contract/dto.ts';
import { localDayKey } from '../format/time-text.ts';

export type ListRow =
  | { readonly kind: 'day'; readonly key: string; readonly day: string }
  | { readonly kind: 'event'; readonly key: string; readonly event: EventDto }
  | { readonly kind: 'gap'; readonly key: string; readonly gap: GapDto };

/**
 * Merges newest-first events and gaps (sorted by `from`, newest first). A gap sits above the
 * events from before the disconnection and below those received after it.
 */
export function buildRows(events: readonly EventDto[], gaps: readonly GapDto[]): ListRow[] {
  const rows: ListRow[] = [];
  let day: string | undefined;
  let e = 0;
  let g = 0;
  const pushDay = (time: number): void => {
    const key = localDayKey(time);
    if (key === day) return;
    day = key;
    rows.push({ kind: 'day', key: `day:${key}`, day: key });
  };
  while (e < events.length || g < gaps.length) {
    const event = events[e];
    const gap = gaps[g];
    if (gap !== undefined && (event === undefined || gap.from >= event.time)) {
      pushDay(gap.from);
      rows.push({ kind: 'gap', key: `gap:${gap.channelKey}:${gap.id}`, gap });
      g += 1;
    } else if (event !== undefined) {
      pushDay(event.time);
      rows.push({ kind: 'event', key: `event:${event.id}`, event });
      e += 1;
    }
  }
  return rows;
}
