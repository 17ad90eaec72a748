// The main pane: header, banners, find bar and the list, or the state that explains why
// there is no list (no server yet, nothing received yet, nothing matching the filters).

import { type ReactNode, useMemo } from 'react';
import type { ChannelDto } from '../../../contract/dto.ts';
import { filterCounts, filterEvents, isFiltering } from '../store/event-filters.ts';
import { buildRows } from '../store/list-rows.ts';
import { useApp } from '../store/store-context.ts';
import { EmptyState } from './EmptyState.tsx';
import { EventList } from './EventList.tsx';
import { FilterBar } from './FilterBar.tsx';
import { Icon } from './Icon.tsx';
import { StatusBanners } from './StatusBanners.tsx';
import { Toolbar } from './Toolbar.tsx';

function NoServer() {
  const showView = useApp((s) => s.showView);
  return (
    <EmptyState
      icon="server"
      tone="accent"
      title="No server configured"
      actions={
        <button type="button" className="button button-primary" onClick={() => showView('settings')}>
          <Icon name="plus" /> Add a server
        </button>
      }
    >
      <p>
        Annotray follows your Label Studio server's notification stream and lists OCR work here: tasks
        assigned, annotations, batches and errors.
      </p>
      <p>Add the server's address, your token and your channel (for example user_42) to start.</p>
    </EmptyState>
  );
}

function NothingYet({ channel }: { channel: ChannelDto | undefined }) {
  const name = channel ? channel.channel : 'your channels';
  const state = channel?.state.kind;
  if (state === 'failed') {
    return (
      <EmptyState icon="unplugged" tone="error" title={`No events: ${name} is not connected`}>
        <p>
          Fix the problem above in Settings, then retry. Events sent meanwhile are not kept by the server.
        </p>
      </EmptyState>
    );
  }
  if (state === 'connecting' || state === 'reconnecting') {
    return (
      <EmptyState icon="retry" title={`Connecting to ${name}…`}>
        <p>Events appear here as soon as the server sends them.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon="inbox" title="No events yet">
      <p>
        Annotray is listening on {name}. New events appear here the moment the server sends them, and a
        desktop notification tells you.
      </p>
    </EmptyState>
  );
}

export function EventsPane({ onMenu }: { onMenu: () => void }) {
  const events = useApp((s) => s.events);
  const gaps = useApp((s) => s.gaps);
  const filters = useApp((s) => s.filters);
  const listPhase = useApp((s) => s.listPhase);
  const scope = useApp((s) => s.scope);
  const channels = useApp((s) => s.channels);
  const demo = useApp((s) => s.demo);
  const serverCount = useApp((s) => s.settings?.servers.length ?? 0);
  const clearFilters = useApp((s) => s.clearFilters);

  const filtered = useMemo(() => filterEvents(events, filters), [events, filters]);
  const counts = useMemo(() => filterCounts(events, filtered.length, filters), [events, filtered, filters]);
  const searching = filters.text.trim() !== '';
  // A text search looks for events; the gaps between them would only be noise.
  const rows = useMemo(() => buildRows(filtered, searching ? [] : gaps), [filtered, gaps, searching]);
  const channel = scope === null ? undefined : channels.find((c) => c.key === scope);
  const noServer = !demo && serverCount === 0 && channels.length === 0;

  let body: ReactNode;
  if (noServer) body = <NoServer />;
  else if (listPhase === 'loading' && events.length === 0) {
    body = (
      <div className="list-loading" role="status">
        Loading events…
      </div>
    );
  } else if (events.length === 0 && gaps.length === 0) body = <NothingYet channel={channel} />;
  else if (filtered.length === 0 && isFiltering(filters)) {
    body = (
      <EmptyState
        icon="search"
        title="No events match these filters"
        actions={
          <button type="button" className="button" onClick={clearFilters}>
            Clear filters
          </button>
        }
      >
        <p>
          {counts.total === 1
            ? 'The one event here is hidden.'
            : `All ${counts.total} events here are hidden.`}{' '}
          Change the search or the type and unread filters to see them.
        </p>
      </EmptyState>
    );
  } else body = <EventList rows={rows} showChannels={scope === null && channels.length > 1} />;

  return (
    <section className="events-pane" aria-label="Events">
      <Toolbar onMenu={onMenu} />
      <StatusBanners />
      {!noServer && (events.length > 0 || isFiltering(filters)) && (
        <FilterBar events={events} counts={counts} />
      )}
      {body}
    </section>
  );
}
