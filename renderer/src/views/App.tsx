// The window: the channel sidebar (a drawer in a narrow window), the events or the settings,
// the event detail sheet, and notices. Also the window-wide keys: / or Ctrl+F to search,
// Escape to close what is open.

import { useEffect, useState } from 'react';
import { useApp } from '../store/store-context.ts';
import { EmptyState } from './EmptyState.tsx';
import { EventDetail } from './EventDetail.tsx';
import { EventsPane } from './EventsPane.tsx';
import { NoticeToast } from './NoticeToast.tsx';
import { Sidebar } from './Sidebar.tsx';
import { SettingsView } from './settings/SettingsView.tsx';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function App() {
  const phase = useApp((s) => s.phase);
  const problem = useApp((s) => s.problem);
  const view = useApp((s) => s.view);
  const detailOpen = useApp((s) => s.selectedEventId !== null);
  const openEvent = useApp((s) => s.openEvent);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        if (drawerOpen) setDrawerOpen(false);
        else if (detailOpen) openEvent(null);
        return;
      }
      const find =
        (event.key === 'f' && (event.ctrlKey || event.metaKey)) ||
        (event.key === '/' && !isTyping(event.target));
      if (find && view === 'events') {
        const search = document.getElementById('event-search');
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen, detailOpen, openEvent, view]);

  // The drawer takes the focus when it opens (narrow windows), so the keyboard lands in it.
  useEffect(() => {
    if (!drawerOpen) return;
    document.querySelector<HTMLElement>('.sidebar .channel-item.selected, .sidebar .channel-item')?.focus();
  }, [drawerOpen]);

  if (phase === 'loading') {
    return (
      <div className="splash" role="status">
        Connecting to Annotray…
      </div>
    );
  }
  if (phase === 'unavailable') {
    return (
      <div className="splash">
        <EmptyState icon="unplugged" tone="error" title="Annotray is not available">
          <p>{problem}</p>
        </EmptyState>
      </div>
    );
  }
  const openDrawer = (): void => setDrawerOpen(true);
  return (
    <div className={`app${drawerOpen ? ' drawer-open' : ''}`}>
      <Sidebar onNavigate={() => setDrawerOpen(false)} />
      {drawerOpen && (
        <div className="drawer-backdrop" onClick={() => setDrawerOpen(false)} aria-hidden="true" />
      )}
      <main className="main">
        {view === 'settings' ? <SettingsView onMenu={openDrawer} /> : <EventsPane onMenu={openDrawer} />}
      </main>
      {view === 'events' && <EventDetail />}
      <NoticeToast />
    </div>
  );
}
