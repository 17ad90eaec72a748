// Settings as main last sent them, and the commands that change them. After a server is saved
// or removed the window asks main for a new snapshot (channels came or went, the demo may be
// over); when that fails the person is told, instead of being left with a stale channel list.

import type { StateCreator } from 'zustand/vanilla';
import type { DiagnosisDto, SaveResult, SettingsDto } from '../../../contract/dto.ts';
import type { PreferencesInput } from '../../../contract/ipc-contract.ts';
import type { ServerInput } from '../../../contract/server-schema.ts';
import type { AppState } from './app-store.ts';
import { type MainCall, messageOf } from './main-call.ts';

export type PauseKind = 'hour' | 'tomorrow' | 'indefinite' | 'resume';
export type MuteKind = 'hour' | 'tomorrow' | 'indefinite' | 'unmute';

export interface SettingsSlice {
  readonly settings: SettingsDto | null;
  pause(kind: PauseKind): Promise<void>;
  /** Mutes one channel (events listed, no notifications) for a while, or unmutes it. */
  mute(channelKey: string, mute: MuteKind): Promise<void>;
  saveServer(server: ServerInput): Promise<SaveResult<SettingsDto>>;
  removeServer(id: string): Promise<void>;
  setPreferences(preferences: PreferencesInput): Promise<SaveResult<SettingsDto>>;
  testConnection(server: ServerInput, channel: string): Promise<SaveResult<DiagnosisDto>>;
  /** From main's pushes. */
  receiveSettings(settings: SettingsDto): void;
}

const NO_ANSWER = { ok: false, errors: [{ field: 'form', message: 'Annotray did not answer.' }] } as const;

export function createSettingsSlice(call: MainCall): StateCreator<AppState, [], [], SettingsSlice> {
  return (set, get) => {
    /** `done` is what happened, e.g. "The server was saved". */
    const refreshAfter = async (done: string): Promise<void> => {
      try {
        await get().refreshSnapshot();
      } catch (error) {
        get().notify(
          'error',
          `${done}, but the window could not load the new channel list: ${messageOf(error)}`,
        );
      }
    };

    return {
      settings: null,

      async pause(kind) {
        const settings = await call('change the pause', (bridge) =>
          bridge.invoke('notifications:pause', { kind }),
        );
        if (settings) set({ settings });
      },

      async mute(channelKey, mute) {
        const settings = await call('mute the channel', (bridge) =>
          bridge.invoke('channels:mute', { channelKey, mute }),
        );
        if (settings) set({ settings });
      },

      async saveServer(server) {
        const result = await call('save the server', (bridge) =>
          bridge.invoke('settings:saveServer', { server }),
        );
        if (!result) return NO_ANSWER;
        if (result.ok) {
          set({ settings: result.value });
          // Adding the first server leaves demo mode; main says so in its snapshot.
          await refreshAfter('The server was saved');
        }
        return result;
      },

      async removeServer(id) {
        const settings = await call('remove the server', (bridge) =>
          bridge.invoke('settings:removeServer', { id }),
        );
        if (!settings) return;
        set({ settings });
        await refreshAfter('The server was removed');
      },

      async setPreferences(preferences) {
        const result = await call('save the preferences', (bridge) =>
          bridge.invoke('settings:setPreferences', { preferences }),
        );
        if (!result) return NO_ANSWER;
        if (result.ok) set({ settings: result.value });
        return result;
      },

      async testConnection(server, channel) {
        const result = await call('test the connection', (bridge) =>
          bridge.invoke('settings:testConnection', { server, channel }),
        );
        return result ?? NO_ANSWER;
      },

      receiveSettings: (settings) => set({ settings }),
    };
  };
}
