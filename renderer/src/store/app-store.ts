// The window's state: what main last told it (channels, settings, the shown channel's events
// and gaps) plus what the person chose (channel, event, filters, view). Fed only by the
// `window.annotray` bridge; main stays the source of truth, so read state, unread counts and
// titles are never computed here, only applied from its answers and pushes. One store, built
// from slices that each own one concern: the link to main (sync), the shown list, the
// settings and their commands, and the person's view choices (ui).

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnnotrayApi } from '../../../contract/ipc-contract.ts';
import { createListSlice, type ListSlice } from './list-slice.ts';
import { mainCaller } from './main-call.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createSyncSlice, type SyncSlice } from './sync-slice.ts';
import { createUiSlice, type UiSlice } from './ui-slice.ts';

export type AppState = SyncSlice & ListSlice & SettingsSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(api: AnnotrayApi | undefined): AppStore {
  return createStore<AppState>()((...a) => {
    const [, get] = a;
    const call = mainCaller(api, (text) => get().notify('error', text));
    return {
      ...createUiSlice()(...a),
      ...createListSlice(api, call)(...a),
      ...createSettingsSlice(call)(...a),
      ...createSyncSlice(api, call)(...a),
    };
  });
}
