// The shown channel's events and gaps, kept in step with main: asked for when the scope
// changes, then updated by pushes. Pushes that arrive while a list request is on its way are
// merged into its answer, so nothing falls between the two.

import type { StateCreator } from 'zustand/vanilla';
import type { EventDto, GapDto, ReadStateDto } from '../../../contract/dto.ts';
import type { AnnotrayApi } from '../../../contract/ipc-contract.ts';
import type { AppState } from './app-store.ts';
import { applyReadState, inScope, mergeEvents, upsertGap } from './event-collection.ts';
import { type MainCall, messageOf } from './main-call.ts';

export interface ListSlice {
  /** The channel shown; null: every channel. */
  readonly scope: string | null;
  /** The shown channel's events, newest first. */
  readonly events: readonly EventDto[];
  readonly gaps: readonly GapDto[];
  readonly listPhase: 'loading' | 'ready' | 'error';
  /** Asks main for the list of `scope`; `reset` empties the shown list first (another channel). */
  loadList(scope: string | null, reset: boolean): Promise<void>;
  selectChannel(key: string | null): Promise<void>;
  /** Shows an event's detail (and marks it read); null closes the detail. */
  openEvent(id: string | null): void;
  markRead(event: EventDto): Promise<void>;
  markAllRead(): Promise<void>;
  openTask(event: EventDto): Promise<{ readonly opened: boolean; readonly reason?: string }>;
  /** From main's pushes. */
  receiveEvents(batch: readonly EventDto[]): void;
  receiveReadState(readState: ReadStateDto): void;
  receiveGap(gap: GapDto): void;
}

export function createListSlice(
  api: AnnotrayApi | undefined,
  call: MainCall,
): StateCreator<AppState, [], [], ListSlice> {
  let listSeq = 0;
  // Pushed while a list request is in flight: merged into its answer so nothing falls between.
  let pending: { events: EventDto[]; gaps: GapDto[] } | null = null;

  return (set, get) => ({
    scope: null,
    events: [],
    gaps: [],
    listPhase: 'loading',

    async loadList(scope, reset) {
      if (!api) return;
      listSeq += 1;
      const seq = listSeq;
      pending = { events: [], gaps: [] };
      set(reset ? { listPhase: 'loading', events: [], gaps: [] } : { listPhase: 'loading' });
      try {
        const list = await api.invoke('events:list', { channelKey: scope });
        if (seq !== listSeq) return;
        const pushed = pending ?? { events: [], gaps: [] };
        pending = null;
        let gaps = list.gaps;
        for (const gap of pushed.gaps) gaps = upsertGap(gaps, gap);
        set({ events: mergeEvents(list.events, pushed.events), gaps, listPhase: 'ready' });
      } catch (error) {
        if (seq !== listSeq) return;
        pending = null;
        set({ listPhase: 'error' });
        get().notify('error', `Could not load the events: ${messageOf(error)}`);
      }
    },

    async selectChannel(key) {
      set({ view: 'events', selectedEventId: null });
      if (key === get().scope && get().listPhase !== 'error') return;
      set({ scope: key });
      await get().loadList(key, true);
    },

    openEvent(id) {
      set({ selectedEventId: id });
      const event = id === null ? undefined : get().events.find((e) => e.id === id);
      if (event?.unread) void get().markRead(event);
    },

    async markRead(event) {
      await call('mark the event read', (bridge) =>
        bridge.invoke('events:markRead', { channelKey: event.channelKey, eventIds: [event.id] }),
      );
    },

    async markAllRead() {
      await call('mark the events read', (bridge) =>
        bridge.invoke('events:markAllRead', { channelKey: get().scope }),
      );
    },

    async openTask(event) {
      if (!event.taskUrl) return { opened: false, reason: 'this event has no task link' };
      const url = event.taskUrl;
      const result = await call('open the task', (bridge) => bridge.invoke('task:open', { url }));
      if (!result) return { opened: false, reason: 'Annotray did not answer' };
      if (!result.opened) get().notify('error', `The task was not opened: ${result.reason ?? 'refused'}`);
      else if (event.unread) void get().markRead(event);
      return result;
    },

    receiveEvents(batch) {
      const { scope, events } = get();
      const mine = batch.filter((e) => inScope(scope, e.channelKey));
      if (mine.length === 0) return;
      pending?.events.push(...mine);
      set({ events: mergeEvents(events, mine) });
    },

    receiveReadState(readState) {
      const { events } = get();
      const next = applyReadState(events, readState);
      if (next !== events) set({ events: next });
    },

    receiveGap(gap) {
      const { scope, gaps } = get();
      if (!inScope(scope, gap.channelKey)) return;
      pending?.gaps.push(gap);
      set({ gaps: upsertGap(gaps, gap) });
    },
  });
}
