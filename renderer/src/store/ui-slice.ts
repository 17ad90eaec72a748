// What the person chose to look at, and the notice telling them what just happened: state no
// answer from main changes.

import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './app-store.ts';
import { type EventFilters, NO_FILTERS } from './event-filters.ts';

export type View = 'events' | 'settings';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'error';
  readonly text: string;
}

export interface UiSlice {
  readonly filters: EventFilters;
  readonly view: View;
  /** The event whose detail is shown. */
  readonly selectedEventId: string | null;
  readonly notice: Notice | null;
  setFilters(change: Partial<EventFilters>): void;
  clearFilters(): void;
  showView(view: View): void;
  /** Tells the person something: the newest notice replaces the one shown. */
  notify(tone: Notice['tone'], text: string): void;
  dismissNotice(): void;
}

export function createUiSlice(): StateCreator<AppState, [], [], UiSlice> {
  let noticeSeq = 0;
  return (set, get) => ({
    filters: NO_FILTERS,
    view: 'events',
    selectedEventId: null,
    notice: null,
    setFilters: (change) => set({ filters: { ...get().filters, ...change } }),
    clearFilters: () => set({ filters: NO_FILTERS }),
    showView: (view) => set({ view }),
    notify: (tone, text) => {
      noticeSeq += 1;
      set({ notice: { id: noticeSeq, tone, text } });
    },
    dismissNotice: () => set({ notice: null }),
  });
}
