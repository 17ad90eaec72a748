// The app core as tests and benchmarks run it: AppCore with settings kept in memory, a
// reversible stand-in for the OS keyring, and recorders for what it opens, shows and pushes.

import { AppCore, type AppCoreOptions, type DemoFeed } from '../../app/app-core.ts';
import { DEFAULT_SETTINGS, type StoredSettings, type TokenVault } from '../../app/settings/settings-model.ts';
import type { PushChannel, PushPayloads } from '../../contract/ipc-contract.ts';
import type { NotificationIntent } from '../../engine/policy/notification-intent.ts';

/** "Encrypts" to base64: reversible, and a token never appears as itself in stored settings. */
export const testVault: TokenVault = {
  available: true,
  encrypt: async (s) => Buffer.from(s).toString('base64'),
  decrypt: async (s) => Buffer.from(s, 'base64').toString(),
};

export interface TestCore {
  readonly core: AppCore;
  /** URLs AppCore let through its guard to the browser. */
  readonly opened: string[];
  readonly notes: NotificationIntent[];
  readonly pushes: { channel: PushChannel; payload: unknown }[];
  pushed<C extends PushChannel>(channel: C): PushPayloads[C][];
  stored(): StoredSettings;
}

export function createTestCore(
  options: {
    settings?: StoredSettings;
    demo?: DemoFeed;
    vault?: TokenVault;
    /** Where pushes go besides the recorder (e.g. a page). */
    push?: AppCoreOptions['push'];
    historyStore?: AppCoreOptions['historyStore'];
  } = {},
): TestCore {
  let stored = options.settings ?? DEFAULT_SETTINGS;
  const opened: string[] = [];
  const notes: NotificationIntent[] = [];
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  const core = new AppCore({
    settings: { load: () => stored, save: (s) => (stored = s) },
    vault: options.vault ?? testVault,
    notifier: { notify: (n) => notes.push(n) },
    openExternal: async (url) => {
      opened.push(url);
    },
    push: (channel, payload) => {
      pushes.push({ channel, payload });
      options.push?.(channel, payload);
    },
    version: '0.1.0',
    platform: process.platform,
    ...(options.demo ? { demo: options.demo } : {}),
    ...(options.historyStore ? { historyStore: options.historyStore } : {}),
  });
  return {
    core,
    opened,
    notes,
    pushes,
    pushed: (channel) => pushes.filter((p) => p.channel === channel).map((p) => p.payload as never),
    stored: () => stored,
  };
}
