// The virtualized list of rows (day headings, events, gaps): only the rows on screen exist in
// the DOM, so 10,000 events scroll as smoothly as ten. Arrow keys move between events, Enter
// opens one, Home/End/Page keys jump.

import { useVirtualizer } from '@tanstack/react-virtual';
import { type FocusEvent, type KeyboardEvent, useCallback, useMemo, useRef, useState } from 'react';
import type { EventDto } from '../../../contract/dto.ts';
import { dayLabel } from '../format/time-text.ts';
import { useNow } from '../hooks/use-now.ts';
import type { ListRow } from '../store/list-rows.ts';
import { useApp } from '../store/store-context.ts';
import { EventRow } from './EventRow.tsx';
import { GapRow } from './GapRow.tsx';

const ESTIMATED_HEIGHT: Record<ListRow['kind'], number> = { day: 36, event: 84, gap: 56 };
const PAGE_ROWS = 8;

/** Focuses a row's button once the virtualizer has rendered it (after a scroll, a frame or two later). */
function focusWhenRendered(container: HTMLElement | null, index: number, tries = 6): void {
  const target = container?.querySelector<HTMLElement>(`[data-index="${index}"] .row-focus`);
  if (target) {
    target.focus({ preventScroll: true });
    return;
  }
  if (tries > 0) requestAnimationFrame(() => focusWhenRendered(container, index, tries - 1));
}

export function EventList({ rows, showChannels }: { rows: readonly ListRow[]; showChannels: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(30_000);
  const selectedEventId = useApp((s) => s.selectedEventId);
  const channels = useApp((s) => s.channels);
  const openEvent = useApp((s) => s.openEvent);
  const markRead = useApp((s) => s.markRead);
  const openTask = useApp((s) => s.openTask);
  const [activeKey, setActiveKey] = useState<string | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => ESTIMATED_HEIGHT[rows[index]?.kind ?? 'event'],
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
  });

  const channelNames = useMemo(() => new Map(channels.map((c) => [c.key, c.channel])), [channels]);
  const eventIndexes = useMemo(
    () => rows.flatMap((row, index) => (row.kind === 'event' ? [index] : [])),
    [rows],
  );
  const activeIndex = useMemo(() => {
    const at = activeKey === null ? -1 : rows.findIndex((r) => r.key === activeKey);
    return at >= 0 ? at : (eventIndexes[0] ?? -1);
  }, [rows, activeKey, eventIndexes]);

  const onOpen = useCallback((event: EventDto) => openEvent(event.id), [openEvent]);
  const onMarkRead = useCallback((event: EventDto) => void markRead(event), [markRead]);
  const onOpenTask = useCallback((event: EventDto) => void openTask(event), [openTask]);

  const moveTo = (index: number): void => {
    const row = rows[index];
    if (!row) return;
    setActiveKey(row.key);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    focusWhenRendered(scrollRef.current, index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const current = rowElement ? Number(rowElement.dataset.index) : activeIndex;
    const position = Math.max(0, eventIndexes.indexOf(current));
    const step: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: PAGE_ROWS,
      PageUp: -PAGE_ROWS,
      Home: -Infinity,
      End: Infinity,
    };
    const delta = step[event.key];
    if (delta === undefined || eventIndexes.length === 0) return;
    event.preventDefault();
    const next = Math.min(eventIndexes.length - 1, Math.max(0, position + delta));
    const index = eventIndexes[next];
    if (index !== undefined) moveTo(index);
  };

  // Focus (by click or Tab) makes a row the list's tab stop, so the keyboard continues from there.
  const onFocus = (event: FocusEvent<HTMLDivElement>): void => {
    const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const row = rowElement ? rows[Number(rowElement.dataset.index)] : undefined;
    if (row?.kind === 'event' && row.key !== activeKey) setActiveKey(row.key);
  };

  const items = virtualizer.getVirtualItems();
  // The scroller handles the keys of the buttons inside it (one handler, not one per row).
  // When the tab stop is scrolled out of the DOM, Chromium's focusable scroller takes the focus.
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegated keyboard navigation of the row buttons
    <div className="event-scroll" ref={scrollRef} onKeyDown={onKeyDown} onFocus={onFocus}>
      <ul
        className="event-canvas"
        aria-label="Events, newest first"
        style={{ height: `${virtualizer.getTotalSize()}px` }}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <li
              key={item.key}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              className={`virtual-row row-${row.kind}`}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'day' ? (
                <h2 className="day-heading">{dayLabel(row.day, now)}</h2>
              ) : row.kind === 'gap' ? (
                <GapRow
                  gap={row.gap}
                  {...(showChannels
                    ? { channelLabel: channelNames.get(row.gap.channelKey) ?? row.gap.channelKey }
                    : {})}
                />
              ) : (
                <EventRow
                  event={row.event}
                  now={now}
                  tabStop={item.index === activeIndex}
                  selected={row.event.id === selectedEventId}
                  {...(showChannels ? { channelLabel: row.event.channel } : {})}
                  onOpen={onOpen}
                  onMarkRead={onMarkRead}
                  onOpenTask={onOpenTask}
                />
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
