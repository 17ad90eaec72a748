// A child process running the app's main-process core (AppCore, as test/support/test-core.ts
// builds it: settings in memory, no Electron) over full histories on disk, for the start-up
// benchmark: when every channel is open, when every history is in, what the first window
// snapshot costs, and the heap once started.

import { AppCore } from '../../app/app-core.ts';
import { DEFAULT_SETTINGS, type StoredSettings } from '../../app/settings/settings-model.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { FileHistoryStore } from '../../engine/history/file-history-store.ts';
import { testVault } from '../../test/support/test-core.ts';
import { type MemoryFigures, memoryFigures } from './child-probes.ts';
import { serve } from './child-rpc.ts';
import { nowUs } from './stamp.ts';

export interface AppCoreStartup {
  /** core.start() → every channel open, ms. */
  readonly openMs: number;
  /** core.start() → every channel's history in (total ≥ the stored events), ms. */
  readonly loadedMs: number;
  /** The first window snapshot: `app:snapshot` and `events:list` for all channels, ms. */
  readonly snapshotMs: number;
  /** Its size as JSON (what crosses IPC), bytes. */
  readonly snapshotBytes: number;
  readonly listedEvents: number;
  readonly memory: MemoryFigures;
}

let core: AppCore | undefined;

function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    // Polled as well: a channel's total changes without a change callback once loading ends.
    const poll = setInterval(check, 5);
    const off = core?.onChange(check) ?? (() => {});
    function check(): void {
      if (!predicate()) return;
      clearTimeout(timer);
      clearInterval(poll);
      off();
      resolve();
    }
  });
}

serve({
  async start(config: {
    serverId: string;
    serverUrl: string;
    channels: string[];
    historyDir: string;
    storedEvents: number;
    timeoutMs: number;
  }): Promise<AppCoreStartup> {
    let settings: StoredSettings = {
      ...DEFAULT_SETTINGS,
      servers: [
        {
          id: config.serverId,
          name: 'Bench',
          url: config.serverUrl,
          eventsPath: '/api/notifications/events/{channel}',
          taskUrl: DEFAULT_TASK_URL,
          channels: config.channels,
          authScheme: 'auto' as const,
          idleRefreshSeconds: 300,
        },
      ],
    };
    const t0 = nowUs();
    core = new AppCore({
      settings: { load: () => settings, save: (s) => (settings = s) },
      vault: testVault,
      notifier: { notify: () => {} },
      openExternal: async () => {},
      push: () => {},
      historyStore: new FileHistoryStore(config.historyDir),
      version: '0.0.0-bench',
      platform: process.platform,
    });
    await core.start();
    const since = (): number => (nowUs() - t0) / 1000;
    const channels = () => core?.channels() ?? [];
    await waitFor(
      () => channels().length === config.channels.length && channels().every((c) => c.state.kind === 'open'),
      config.timeoutMs,
      'not every channel opened',
    );
    const openMs = since();
    await waitFor(
      () => channels().every((c) => c.total >= config.storedEvents),
      config.timeoutMs,
      'not every history was read',
    );
    const loadedMs = since();
    const s0 = nowUs();
    const snapshot = await core.request('app:snapshot', {});
    const list = await core.request('events:list', { channelKey: null });
    const snapshotMs = (nowUs() - s0) / 1000;
    const snapshotBytes =
      Buffer.byteLength(JSON.stringify(snapshot)) + Buffer.byteLength(JSON.stringify(list));
    return {
      openMs,
      loadedMs,
      snapshotMs,
      snapshotBytes,
      listedEvents: list.events.length,
      memory: memoryFigures(true),
    };
  },

  /** The heap after GC now (e.g. once the post-load saves are done). */
  memory: (): MemoryFigures => memoryFigures(true),

  async stop(): Promise<null> {
    await core?.stop();
    core = undefined;
    return null;
  },
});
