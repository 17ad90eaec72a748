// The window's link to main: the first snapshot, the subscription to every push, and the
// channel list. Pushes are handed to the slice that owns what they change.

import type { StateCreator } from 'zustand/vanilla';
import type { ChannelDto, NavigateDto } from '../../../contract/dto.ts';
import type { AnnotrayApi, PushChannel, PushPayloads } from '../../../contract/ipc-contract.ts';
import type { AppState } from './app-store.ts';
import { type MainCall, messageOf, NO_BRIDGE } from './main-call.ts';

export interface SyncSlice {
  /** `unavailable`: no bridge (not running inside Annotray) or the first snapshot failed. */
  readonly phase: 'loading' | 'ready' | 'unavailable';
  readonly problem?: string;
  readonly version: string;
  readonly platform: string;
  readonly demo: boolean;
  readonly channels: readonly ChannelDto[];
  /** Subscribes to main's pushes and loads the first snapshot; returns the unsubscribe. */
  start(): () => void;
  /** Asks main for the whole picture again; rejects when main does not answer. */
  refreshSnapshot(): Promise<void>;
  reconnect(key: string | null): Promise<void>;
  navigate(target: NavigateDto): Promise<void>;
  /** From main's pushes. */
  receiveChannels(channels: readonly ChannelDto[]): void;
}

function channelKeys(channels: readonly ChannelDto[]): string {
  return channels.map((c) => c.key).join('\n');
}

/** The shown channel if it still exists, else every channel. */
function keptScope(scope: string | null, channels: readonly ChannelDto[]): string | null {
  return scope !== null && channels.some((c) => c.key === scope) ? scope : null;
}

export function createSyncSlice(
  api: AnnotrayApi | undefined,
  call: MainCall,
): StateCreator<AppState, [], [], SyncSlice> {
  return (set, get) => ({
    phase: 'loading',
    version: '',
    platform: '',
    demo: false,
    channels: [],

    start() {
      if (!api) {
        set({ phase: 'unavailable', problem: NO_BRIDGE });
        return () => {};
      }
      const state = get();
      const handlers: { [C in PushChannel]: (payload: PushPayloads[C]) => void } = {
        'push:channels': (channels) => state.receiveChannels(channels),
        'push:events': (batch) => state.receiveEvents(batch),
        'push:readState': (readState) => state.receiveReadState(readState),
        'push:gap': (gap) => state.receiveGap(gap),
        'push:settings': (settings) => state.receiveSettings(settings),
        'push:navigate': (target) => void state.navigate(target),
      };
      // Listen first: whatever happens while the snapshot is on its way is not lost.
      const off = (Object.keys(handlers) as PushChannel[]).map((channel) =>
        api.on(channel, handlers[channel] as (payload: unknown) => void),
      );
      get()
        .refreshSnapshot()
        .catch((error: unknown) => {
          set({ phase: 'unavailable', problem: `Annotray did not answer: ${messageOf(error)}` });
        });
      return () => {
        for (const unsubscribe of off) unsubscribe();
      };
    },

    async refreshSnapshot() {
      if (!api) return;
      const snapshot = await api.invoke('app:snapshot', {});
      const before = get();
      const scope = keptScope(before.scope, snapshot.channels);
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
        await get().loadList(scope, scope !== before.scope);
      }
    },

    async reconnect(key) {
      await call('reconnect', (bridge) => bridge.invoke('channels:reconnect', { channelKey: key }));
    },

    async navigate(target) {
      const known = target.channelKey === null || get().channels.some((c) => c.key === target.channelKey);
      await get().selectChannel(known ? target.channelKey : null);
      if (target.eventId !== undefined) get().openEvent(target.eventId);
    },

    receiveChannels(channels) {
      const before = get();
      if (channelKeys(before.channels) === channelKeys(channels)) {
        set({ channels });
        return;
      }
      // Channels came or went (servers edited, demo left): the list must be asked for again.
      const scope = keptScope(before.scope, channels);
      set({ channels, scope });
      if (before.phase === 'ready') void get().loadList(scope, scope !== before.scope);
    },
  });
}
