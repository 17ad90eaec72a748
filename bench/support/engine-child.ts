// A child process running the Annotray Engine for a benchmark, exactly as the app and the CLI
// construct it (real connections, real clock), with a Notifier that records when it is called.
// Started by startChild; the parent drives it with the calls below.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine } from '../../engine/engine.ts';
import { FileHistoryStore } from '../../engine/history/file-history-store.ts';
import type { NotificationIntent } from '../../engine/policy/notification-intent.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from '../../engine/policy/preferences.ts';
import { EventCounter, probeHandlers } from './child-probes.ts';
import { serve } from './child-rpc.ts';
import { nowUs } from './stamp.ts';

export interface EngineChildConfig {
  readonly serverUrl: string;
  readonly channels: readonly string[];
  /**
   * `every`: burst coalescing off (maxIndividual unbounded) so every event reaches the
   * Notifier, for latency; `default`: the preferences the app ships with.
   */
  readonly preferences: 'every' | 'default';
  /** Record publish → Notifier and publish → 'event' for payloads stamped with `bench_sent_us`. */
  readonly recordLatency?: boolean;
  /** Keep history in files under a temporary folder, as the app and `watch --history` do. */
  readonly historyOnDisk?: boolean;
}

export interface LatencySamples {
  /** Publish → Notifier.notify, µs. */
  readonly notify: number[];
  /** Publish → the engine's 'event' emission, µs. */
  readonly event: number[];
  /** Events whose payload carried no stamp, or whose notification was not seen. */
  readonly unmatched: number;
}

export interface NotificationRecord {
  readonly count: number;
  readonly intents: readonly { readonly title: string; readonly count: number; readonly atUs: number }[];
}

const EVERY_EVENT: NotificationPreferences = {
  ...DEFAULT_PREFERENCES,
  maxIndividual: Number.MAX_SAFE_INTEGER,
};

const counter = new EventCounter();
let engine: Engine | undefined;
let historyDir: string | undefined;
let notifications: { title: string; count: number; atUs: number }[] = [];
let latency = { notify: [] as number[], event: [] as number[], unmatched: 0 };
const openWaiters = new Set<() => void>();

function allOpen(): boolean {
  const channels = engine?.channels() ?? [];
  return channels.length > 0 && channels.every((c) => c.state.kind === 'open');
}

function sentAt(payload: unknown): number | undefined {
  const stamp = (payload as { bench_sent_us?: unknown } | null)?.bench_sent_us;
  return typeof stamp === 'number' ? stamp : undefined;
}

serve({
  ...probeHandlers(counter),

  async start(config: EngineChildConfig): Promise<null> {
    if (engine) throw new Error('the engine is already started');
    // When the Notifier was called, by intent id: the 'event' emission that follows pairs it with its payload.
    const notifiedAt = new Map<string, number>();
    if (config.historyOnDisk) historyDir = await mkdtemp(path.join(tmpdir(), 'annotray-bench-history-'));
    engine = new Engine({
      servers: [{ id: 'bench', url: config.serverUrl, auth: { scheme: 'none' }, channels: config.channels }],
      preferences: config.preferences === 'every' ? EVERY_EVENT : DEFAULT_PREFERENCES,
      notifier: {
        notify(intent: NotificationIntent) {
          const atUs = nowUs();
          if (config.recordLatency) notifiedAt.set(intent.id, atUs);
          notifications.push({ title: intent.title, count: intent.count, atUs });
        },
      },
      ...(historyDir ? { historyStore: new FileHistoryStore(historyDir) } : {}),
    });
    engine.on('event', ({ event }) => {
      if (config.recordLatency) {
        const atUs = nowUs();
        const sent = sentAt(event.payload);
        const notified = notifiedAt.get(`event:${event.id}`);
        notifiedAt.delete(`event:${event.id}`);
        if (sent === undefined || notified === undefined) latency.unmatched += 1;
        else {
          latency.notify.push(notified - sent);
          latency.event.push(atUs - sent);
        }
      }
      counter.add();
    });
    engine.on('channel', () => {
      if (openWaiters.size > 0 && allOpen()) for (const wake of openWaiters) wake();
    });
    engine.start();
    return null;
  },

  /** Resolves when every channel is subscribed. */
  waitOpen({ timeoutMs }: { timeoutMs: number }): Promise<{ openAtUs: number }> {
    if (allOpen()) return Promise.resolve({ openAtUs: nowUs() });
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        openWaiters.delete(wake);
        resolve({ openAtUs: nowUs() });
      };
      const timer = setTimeout(() => {
        openWaiters.delete(wake);
        const states = (engine?.channels() ?? []).map((c) => `${c.channel}: ${c.state.kind}`);
        reject(
          new Error(`not every channel opened within ${timeoutMs} ms (${states.slice(0, 5).join(', ')} …)`),
        );
      }, timeoutMs);
      openWaiters.add(wake);
    });
  },

  /** Returns the samples recorded since the last call and starts afresh. */
  takeLatency(): LatencySamples {
    const taken = latency;
    latency = { notify: [], event: [], unmatched: 0 };
    return taken;
  },

  takeNotifications(): NotificationRecord {
    const taken = notifications;
    notifications = [];
    return { count: taken.length, intents: taken };
  },

  historySize({ channel }: { channel: string }): number {
    return engine?.history(`bench/${channel}`)?.events.length ?? 0;
  },

  async stop(): Promise<null> {
    await engine?.stop();
    engine = undefined;
    if (historyDir) await rm(historyDir, { recursive: true, force: true });
    historyDir = undefined;
    return null;
  },
});
