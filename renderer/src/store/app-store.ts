// The window's state: what main last told it (channels, settings, the shown channel's events
// and gaps) plus what the person chose (channel, event, filters, view). Fed only by the
// `window.annotray` bridge; main stays the source of truth, so read state, unread counts and
// titles are never computed here, only applied from its answers and pushes.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ChannelDto,
  DiagnosisDto,
  EventDto,
  GapDto,
  NavigateDto,
  SaveResult,
  SettingsDto,
} from '../../../contract/dto.ts';
import type {
  AnnotrayApi,
  PreferencesInput,
  PushChannel,
  PushPayloads,
} from '../../../contract/ipc-contract.ts';
import type { ServerInput } from '../../../contract/server-schema.ts';
import { applyReadState, inScope, mergeEvents, upsertGap } from './event-collection.ts';
import { type EventFilters, NO_FILTERS } from './event-filters.ts';

export type View = 'events' | 'settings';
export type PauseKind = 'hour' | 'tomorrow' | 'indefinite' | 'resume';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'error';
  readonly text: string;
}

export interface AppData {
  /** `unavailable`: no bridge (not running inside Annotray) or the first snapshot failed. */
  readonly phase: 'loading' | 'ready' | 'unavailable';
  readonly problem?: string;
  readonly version: string;
  readonly platform: string;
  readonly demo: boolean;
  readonly channels: readonly ChannelDto[];
  readonly settings: SettingsDto | null;
  /** The channel shown; null: every channel. */
  readonly scope: string | null;
  /** The shown channel's events, newest first. */
  readonly events: readonly EventDto[];
  readonly gaps: readonly GapDto[];
  readonly listPhase: 'loading' | 'ready' | 'error';
  readonly selectedEventId: string | null;
  readonly filters: EventFilters;
  readonly view: View;
  readonly notice: Notice | null;
}

export interface AppActions {
  /** Subscribes to main's pushes and loads the first snapshot; returns the unsubscribe. */
  start(): () => void;
  selectChannel(key: string | null): Promise<void>;
  /** Shows an event's detail (and marks it read); null closes the detail. */
  openEvent(id: string | null): void;
  markRead(event: EventDto): Promise<void>;
  markAllRead(): Promise<void>;
  openTask(event: EventDto): Promise<{ readonly opened: boolean; readonly reason?: string }>;
  setFilters(change: Partial<EventFilters>): void;
  clearFilters(): void;
  showView(view: View): void;
  reconnect(key: string | null): Promise<void>;
  pause(kind: PauseKind): Promise<void>;
  saveServer(server: ServerInput): Promise<SaveResult<SettingsDto>>;
  removeServer(id: string): Promise<void>;
  setPreferences(preferences: PreferencesInput): Promise<SaveResult<SettingsDto>>;
  testConnection(server: ServerInput, channel: string): Promise<SaveResult<DiagnosisDto>>;
  navigate(target: NavigateDto): Promise<void>;
  dismissNotice(): void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

const INITIAL: AppData = {
  phase: 'loading',
  version: '',
  platform: '',
  demo: false,
  channels: [],
  settings: null,
  scope: null,
  events: [],
  gaps: [],
  listPhase: 'loading',
  selectedEventId: null,
  filters: NO_FILTERS,
  view: 'events',
  notice: null,
};

const NO_BRIDGE = 'This window is not connected to Annotray: open it from the Annotray tray icon.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function channelKeys(channels: readonly ChannelDto[]): string {
  return channels.map((c) => c.key).join('\n');
}

export function createAppStore(api: AnnotrayApi | undefined): AppStore {
  let noticeSeq = 0;
  let listSeq = 0;
  // Pushed while a list request is in flight: merged into its answer so nothing falls between.
  let pending: { events: EventDto[]; gaps: GapDto[] } | null = null;

  return createStore<AppState>()((set, get) => {
    const notify = (tone: Notice['tone'], text: string): void => {
      noticeSeq += 1;
      set({ notice: { id: noticeSeq, tone, text } });
    };

    /** Calls main; a rejected call becomes a notice and `undefined`. */
    const call = async <T>(
      what: string,
      run: (bridge: AnnotrayApi) => Promise<T>,
    ): Promise<T | undefined> => {
      if (!api) {
        notify('error', NO_BRIDGE);
        return undefined;
      }
      try {
        return await run(api);
      } catch (error) {
        notify('error', `Could not ${what}: ${messageOf(error)}`);
        return undefined;
      }
    };

    const loadList = async (scope: string | null, reset: boolean): Promise<void> => {
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
        notify('error', `Could not load the events: ${messageOf(error)}`);
      }
    };

    const refreshSnapshot = async (): Promise<void> => {
      if (!api) return;
      const snapshot = await api.invoke('app:snapshot', {});
      const before = get();
      const scope =
        before.scope !== null && snapshot.channels.some((c) => c.key === before.scope) ? before.scope : null;
      set({
        phase: 'ready',
        version: snapshot.version,
        platform: snapshot.platform,
        demo: snapshot.demo,
        channels: snapshot.channels,
        settings: snapshot.settings,
        scope,
      });
      if (before.phase !== 'ready' || channelKeys(before.channels) !== channelKeys(snapshot.channels)) {
        await loadList(scope, scope !== before.scope);
      }
    };

    const handlers: { [C in PushChannel]: (payload: PushPayloads[C]) => void } = {
      'push:channels': (channels) => {
        const before = get();
        if (channelKeys(before.channels) === channelKeys(channels)) {
          set({ channels });
          return;
        }
        // Channels came or went (servers edited, demo left): the list must be asked for again.
        const scope =
          before.scope !== null && channels.some((c) => c.key === before.scope) ? before.scope : null;
        set({ channels, scope });
        if (before.phase === 'ready') void loadList(scope, scope !== before.scope);
      },
      'push:events': (batch) => {
        const { scope, events } = get();
        const mine = batch.filter((e) => inScope(scope, e.channelKey));
        if (mine.length === 0) return;
        pending?.events.push(...mine);
        set({ events: mergeEvents(events, mine) });
      },
      'push:readState': (readState) => {
        const { events } = get();
        const next = applyReadState(events, readState);
        if (next !== events) set({ events: next });
      },
      'push:gap': (gap) => {
        const { scope, gaps } = get();
        if (!inScope(scope, gap.channelKey)) return;
        pending?.gaps.push(gap);
        set({ gaps: upsertGap(gaps, gap) });
      },
      'push:settings': (settings) => set({ settings }),
      'push:navigate': (target) => void get().navigate(target),
    };

    return {
      ...INITIAL,

      start() {
        if (!api) {
          set({ phase: 'unavailable', problem: NO_BRIDGE });
          return () => {};
        }
        // Listen first: whatever happens while the snapshot is on its way is not lost.
        const off = (Object.keys(handlers) as PushChannel[]).map((channel) =>
          api.on(channel, handlers[channel] as (payload: unknown) => void),
        );
        refreshSnapshot().catch((error: unknown) => {
          set({ phase: 'unavailable', problem: `Annotray did not answer: ${messageOf(error)}` });
        });
        return () => {
          for (const unsubscribe of off) unsubscribe();
        };
      },

      async selectChannel(key) {
        set({ view: 'events', selectedEventId: null });
        if (key === get().scope && get().listPhase !== 'error') return;
        set({ scope: key });
        await loadList(key, true);
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
        if (!result.opened) notify('error', `The task was not opened: ${result.reason ?? 'refused'}`);
        else if (event.unread) void get().markRead(event);
        return result;
      },

      setFilters(change) {
        set({ filters: { ...get().filters, ...change } });
      },

      clearFilters() {
        set({ filters: NO_FILTERS });
      },

      showView(view) {
        set({ view });
      },

      async reconnect(key) {
        await call('reconnect', (bridge) => bridge.invoke('channels:reconnect', { channelKey: key }));
      },

      async pause(kind) {
        const settings = await call('change the pause', (bridge) =>
          bridge.invoke('notifications:pause', { kind }),
        );
        if (settings) set({ settings });
      },

      async saveServer(server) {
        const result = await call('save the server', (bridge) =>
          bridge.invoke('settings:saveServer', { server }),
        );
        if (!result) return { ok: false, errors: [{ field: 'form', message: 'Annotray did not answer.' }] };
        if (result.ok) {
          set({ settings: result.value });
          // Adding the first server leaves demo mode; main says so in its snapshot.
          await refreshSnapshot().catch(() => {});
        }
        return result;
      },

      async removeServer(id) {
        const settings = await call('remove the server', (bridge) =>
          bridge.invoke('settings:removeServer', { id }),
        );
        if (!settings) return;
        set({ settings });
        await refreshSnapshot().catch(() => {});
      },

      async setPreferences(preferences) {
        const result = await call('save the preferences', (bridge) =>
          bridge.invoke('settings:setPreferences', { preferences }),
        );
        if (!result) return { ok: false, errors: [{ field: 'form', message: 'Annotray did not answer.' }] };
        if (result.ok) set({ settings: result.value });
        return result;
      },

      async testConnection(server, channel) {
        const result = await call('test the connection', (bridge) =>
          bridge.invoke('settings:testConnection', { server, channel }),
        );
        return result ?? { ok: false, errors: [{ field: 'form', message: 'Annotray did not answer.' }] };
      },

      async navigate(target) {
        const known = target.channelKey === null || get().channels.some((c) => c.key === target.channelKey);
        await get().selectChannel(known ? target.channelKey : null);
        if (target.eventId !== undefined) get().openEvent(target.eventId);
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}
