// Burst: 10,000 events within one second on one channel, as when a batch of scans is split
// into tasks at once. The engine runs with the preferences the app ships with (burst
// coalescing on). Three bursts run back to back: the first fills the history (its limit is
// 10,000 events), the second replaces it and fills the engine's set of seen ids (20,000 per
// server), the third changes nothing that is bounded, so a heap that still grows after the
// third shows memory that is not given back.

import { DEFAULT_PREFERENCES } from '../engine/policy/preferences.ts';
import { ocrContext, pace, startBenchServer } from './support/bench-server.ts';
import type { HeapPeak, MemoryFigures, Progress } from './support/child-probes.ts';
import { startChild } from './support/child-rpc.ts';
import type { EngineChildConfig, NotificationRecord } from './support/engine-child.ts';
import { type Figure, measured } from './support/figure.ts';
import { nowUs, sleep } from './support/stamp.ts';
import { TARGETS } from './support/targets.ts';

export interface BurstSettings {
  readonly events: number;
  readonly perSecond: number;
}

const CHANNEL = 'bench_burst';
const MB = 1024 * 1024;
const ROUNDS = 3;

interface Round {
  readonly sendMs: number;
  readonly allInMs: number;
  readonly lagMs: number;
  readonly inHistory: number;
  readonly notifications: NotificationRecord;
  readonly peak: HeapPeak;
  readonly settled: MemoryFigures;
  readonly timedOut: boolean;
}

export async function measureBurst(settings: BurstSettings): Promise<Figure[]> {
  const server = await startBenchServer();
  server.serve([CHANNEL]);
  const child = await startChild(new URL('./support/engine-child.ts', import.meta.url), 'engine (burst)');
  try {
    const config: EngineChildConfig = { serverUrl: server.url, channels: [CHANNEL], preferences: 'default' };
    await child.call('start', config);
    await child.call('waitOpen', { timeoutMs: 10_000 });
    await sleep(1_000);
    const baseline = await child.call<MemoryFigures>('memory', { gc: true });

    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      await child.call('takeNotifications');
      await child.call('startHeapSampler', { everyMs: 20 });
      const offset = round * settings.events;
      const sent = await pace(
        settings.events,
        settings.perSecond,
        (i) => void server.publish(CHANNEL, ocrContext(offset + i)),
      );
      const done = await child.call<Progress>(
        'waitEvents',
        { count: offset + sent.sent, timeoutMs: 30_000 },
        35_000,
      );
      const inHistory = await child.call<number>('historySize', { channel: CHANNEL });
      // The coalescing window that the burst opened closes and sends its summary; wait out
      // the window after it too, so the next round starts from a quiet policy.
      const quietUntil = sent.lastUs + (2 * DEFAULT_PREFERENCES.burstWindowMs + 1_000) * 1_000;
      await sleep(Math.max(0, (quietUntil - nowUs()) / 1000));
      const notifications = await child.call<NotificationRecord>('takeNotifications');
      const peak = await child.call<HeapPeak>('stopHeapSampler');
      const settled = await child.call<MemoryFigures>('memory', { gc: true });
      rounds.push({
        sendMs: (sent.lastUs - sent.firstUs) / 1000,
        allInMs: (done.atUs - sent.firstUs) / 1000,
        lagMs: (done.atUs - sent.lastUs) / 1000,
        inHistory,
        notifications,
        peak,
        settled,
        timedOut: done.timedOut,
      });
    }

    const [first, second, third] = rounds;
    if (!first || !second || !third) throw new Error('a burst round did not run');
    const spec = (id: string, label: string, unit: string) => ({
      bench: 'burst',
      id: `burst.${id}`,
      label,
      unit,
    });
    const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
    const r1 = (v: number): number => Math.round(v * 10) / 10;
    const describe = (n: NotificationRecord): string =>
      n.intents.map((i) => (i.count > 1 ? `summary of ${i.count}` : 'single')).join(', ') || 'none';
    return [
      measured(
        {
          ...spec('inHistory', `${settings.events} events in ~1 s: events in history`, 'events'),
          target: TARGETS.burstHistory,
          note: `sent in ${r1(first.sendMs)} ms${first.timedOut ? '; NOT all arrived within 30 s' : ''}`,
        },
        first.inHistory,
      ),
      measured(
        {
          ...spec('allIn', 'first publish → all in history', 'ms'),
          note: `${r1(first.lagMs)} ms after the last publish`,
        },
        r1(first.allInMs),
      ),
      measured(
        {
          ...spec('notifications', 'notifications raised', 'calls'),
          target: TARGETS.burstNotifications,
          note: describe(first.notifications),
        },
        first.notifications.count,
      ),
      measured(spec('heapBaseline', 'heap after GC before the burst', 'MB'), mb(baseline.heapUsed)),
      measured(
        spec('heapPeak', 'peak heap during the burst (sampled every 20 ms)', 'MB'),
        mb(first.peak.heapUsed),
      ),
      measured(
        {
          ...spec('heapSettled', 'heap after GC once settled', 'MB'),
          note: 'the history now holds 10,000 events (its limit)',
        },
        mb(first.settled.heapUsed),
      ),
      measured(
        spec('retainedPerEvent', 'retained per event in history', 'B'),
        Math.round((first.settled.heapUsed - baseline.heapUsed) / Math.max(1, first.inHistory)),
      ),
      measured(spec('rssPeak', 'peak RSS', 'MB'), mb(Math.max(...rounds.map((r) => r.peak.rss)))),
      measured(
        {
          ...spec(
            'again.allIn',
            'bursts 2–3 (history full): first publish → all in history, slower one',
            'ms',
          ),
          note: `${third.inHistory} in history; notifications: ${describe(third.notifications)}`,
        },
        r1(Math.max(second.allInMs, third.allInMs)),
      ),
      measured(
        {
          ...spec('again.heapGrowth', 'settled heap after the 3rd burst ÷ after the 2nd', '×'),
          target: TARGETS.burstHeapGrowth,
          note: `settled ${rounds.map((r) => mb(r.settled.heapUsed)).join(' → ')} MB after bursts 1, 2, 3 (the 2nd also fills the seen-id set)`,
        },
        Math.round((third.settled.heapUsed / second.settled.heapUsed) * 100) / 100,
      ),
    ];
  } finally {
    await child.call('stop').catch(() => {});
    await child.close();
    await server.close();
  }
}
