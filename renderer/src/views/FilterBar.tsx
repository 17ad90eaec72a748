// Find: search text, unread only, and one chip per event type present, each with its count.
// When filters hide events the bar says how many, and which filter hides them.

import { useMemo } from 'react';
import type { EventDto } from '../../../contract/dto.ts';
import { countByType, type FilterCounts } from '../store/event-filters.ts';
import { useApp } from '../store/store-context.ts';
import { TYPE_ORDER, typeStyle } from './event-type-style.ts';
import { Icon } from './Icon.tsx';

/** "12 of 40 events hidden by filters", and what each filter alone hides when several are set. */
export function hiddenText(counts: FilterCounts): string {
  const head = `${counts.hidden} of ${counts.total} ${counts.total === 1 ? 'event' : 'events'} hidden by filters`;
  const parts = [
    counts.hiddenBy.types > 0 ? `type hides ${counts.hiddenBy.types}` : '',
    counts.hiddenBy.text > 0 ? `search hides ${counts.hiddenBy.text}` : '',
    counts.hiddenBy.unreadOnly > 0 ? `unread only hides ${counts.hiddenBy.unreadOnly}` : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${head}: ${parts.join(', ')}` : head;
}

export function FilterBar({ events, counts }: { events: readonly EventDto[]; counts: FilterCounts }) {
  const filters = useApp((s) => s.filters);
  const setFilters = useApp((s) => s.setFilters);
  const clearFilters = useApp((s) => s.clearFilters);
  const byType = useMemo(() => countByType(events), [events]);
  const unread = useMemo(() => events.reduce((n, e) => n + (e.unread ? 1 : 0), 0), [events]);
  const categories = TYPE_ORDER.filter((t) => (byType.get(t) ?? 0) > 0 || filters.types.includes(t));

  const toggleType = (type: string): void => {
    const types = filters.types.includes(type)
      ? filters.types.filter((t) => t !== type)
      : [...filters.types, type];
    setFilters({ types });
  };

  return (
    <div className="filter-bar">
      <div className="filter-row">
        <label className="search-field">
          <Icon name="search" />
          <input
            type="search"
            id="event-search"
            placeholder="Search text, document, task ID"
            title="Searches the subject, message, document name and task ID"
            aria-label="Search events"
            value={filters.text}
            onChange={(e) => setFilters({ text: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && filters.text) {
                e.stopPropagation();
                setFilters({ text: '' });
              } else if (e.key === 'ArrowDown') {
                // From the search straight into the results.
                const row = document.querySelector<HTMLElement>('.event-scroll .row-focus[tabindex="0"]');
                if (row) {
                  e.preventDefault();
                  row.focus();
                }
              }
            }}
          />
        </label>
        <button
          type="button"
          className="chip chip-unread"
          aria-pressed={filters.unreadOnly}
          aria-label={`Unread only: ${unread}`}
          onClick={() => setFilters({ unreadOnly: !filters.unreadOnly })}
        >
          <span className="chip-dot" aria-hidden="true" />
          Unread
          <span className="chip-count">{unread}</span>
        </button>
      </div>
      {categories.length > 0 && (
        <fieldset className="type-chips">
          <legend className="visually-hidden">Show event types</legend>
          {categories.map((type) => {
            const style = typeStyle(type);
            const count = byType.get(type) ?? 0;
            return (
              <button
                key={type}
                type="button"
                className={`chip tone-${style.tone}`}
                aria-pressed={filters.types.includes(type)}
                aria-label={`${style.name}: ${count}`}
                onClick={() => toggleType(type)}
              >
                <Icon name={style.icon} />
                {style.label}
                <span className="chip-count">{count}</span>
              </button>
            );
          })}
        </fieldset>
      )}
      {counts.hidden > 0 && (
        <p className="filter-summary" role="status">
          <span>{hiddenText(counts)}</span>
          <button type="button" className="link-button" onClick={clearFilters}>
            Clear filters
          </button>
        </p>
      )}
    </div>
  );
}
