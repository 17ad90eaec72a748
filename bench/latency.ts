// Latency: server publish → the engine calls its Notifier, at 100 events/s spread over 50
// channels, against the plain Node SSE server and against the real Label Studio stream
// (Daphne + Redis, test/support/real-servers.ts). Every payload carries the moment it was
// published on the machine-wide monotonic clock; the engine runs in its own process with
// burst coalescing off (so every event is notified) and records when the Notifier was called
// and when it emitted 'event'.

import {
  ensureSystemDeps,
  publishLabelStudio,
  startDaphne,
  startRedis,
  stopAll,
  waitForSubscribers,
} from '../test/support/real-servers.ts';
import { ocrContext, pace, startBenchServer } from './support/bench-server.ts';
import type { Progress } from './support/child-probes.ts';
import { startChild } from './support/child-rpc.ts';
import type { EngineChildConfig, LatencySamples } from './support/engine-child.ts';
import { distribution, type Figure, type FigureSpec, measured, notMeasured } from './support/figure.ts';
import { nowUs } from './support/stamp.ts';
import { TARGETS } from './support/targets.ts';

export interface LatencySettings {
  readonly seconds: number;
  readonly perSecond: number;
  readonly channels: number;
}

interface Row {
  readonly key: string;
  readonly title: string;
  readonly serverUrl: string;
  readonly channels: readonly string[];
  /** Publishes `context` (stamped with `bench_sent_us` at the moment of publishing) on `channel`. */
  publish(channel: string, context: Record<string, unknown>): void;
  /** After every channel is open: wait until the server side is subscribed too. */
  ready?(): Promise<void>;
  /** Publishes that failed or reached no subscriber so far. */
  lost?(): number;
}

const ENGINE_CHILD = new URL('./support/engine-child.ts', import.meta.url);

function specs(row: Pick<Row, 'key' | 'title'>) {
  const spec = (id: string, label: string, extra: Partial<FigureSpec> = {}): FigureSpec => ({
    bench: 'latency',
    id: `latency.${row.key}.${id}`,
    label: `${row.title}: ${label}`,
    unit: 'ms',
    ...extra,
  });
  return {
    notifyP50: spec('notify.p50', 'publish → Notifier p50'),
    notifyP95: spec('notify.p95', 'publish → Notifier p95'),
    notifyP99: spec('notify.p99', 'publish → Notifier p99', { target: TARGETS.latencyP99 }),
    notifyMax: spec('notify.max', 'publish → Notifier max'),
    eventP50: spec('event.p50', "publish → 'event' p50"),
    eventP99: spec('event.p99', "publish → 'event' p99"),
  };
}

async function runRow(row: Row, settings: LatencySettings): Promise<Figure[]> {
  const child = await startChild(ENGINE_CHILD, `engine (${row.key})`);
  try {
    const config: EngineChildConfig = {
      serverUrl: row.serverUrl,
      channels: row.channels,
      preferences: 'every',
      recordLatency: true,
    };
    await child.call('start', config);
    await child.call('waitOpen', { timeoutMs: 30_000 }, 35_000);
    await row.ready?.();
    const n = row.channels.length;
    const channelOf = (i: number): string => row.channels[i % n] ?? '';

    // Warm-up: two events per channel at the measured rate, so JIT and first-event paths
    // (Daphne sends its headers with the first event) are behind us; then discard the samples.
    const warm = n * 2;
    await pace(warm, settings.perSecond, (i) => row.publish(channelOf(i), ocrContext(i)));
    const warmed = await child.call<Progress>('waitEvents', { count: warm, timeoutMs: 15_000 }, 20_000);
    if (warmed.timedOut)
      throw new Error(`only ${warmed.count} of ${warm} warm-up events arrived within 15 s`);
    await child.call('takeLatency');

    const total = Math.round(settings.seconds * settings.perSecond);
    const sent = await pace(total, settings.perSecond, (i) =>
      row.publish(channelOf(i), ocrContext(warm + i)),
    );
    const done = await child.call<Progress>(
      'waitEvents',
      { count: warm + sent.sent, timeoutMs: 10_000 },
      15_000,
    );
    const samples = await child.call<LatencySamples>('takeLatency');
    const notify = distribution(samples.notify.map((us) => us / 1000));
    const event = distribution(samples.event.map((us) => us / 1000));
    const s = specs(row);
    const runNote =
      `${sent.sent} events in ${((sent.lastUs - sent.firstUs) / 1e6).toFixed(1)} s over ${n} channels; ` +
      `${samples.notify.length} measured` +
      (done.timedOut ? `; ${warm + sent.sent - done.count} never arrived` : '') +
      (samples.unmatched > 0 ? `; ${samples.unmatched} unmatched` : '') +
      (row.lost?.() ? `; ${row.lost()} publishes reached no subscriber` : '');
    return [
      measured(s.notifyP50, round(notify.p50)),
      measured(s.notifyP95, round(notify.p95)),
      measured({ ...s.notifyP99, note: runNote }, round(notify.p99)),
      measured(s.notifyMax, round(notify.max)),
      measured(s.eventP50, round(event.p50)),
      measured(s.eventP99, round(event.p99)),
    ];
  } finally {
    await child.call('stop').catch(() => {});
    await child.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function channelNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench_latency_${i}`);
}

async function plainRow(settings: LatencySettings): Promise<Figure[]> {
  const server = await startBenchServer();
  try {
    const channels = channelNames(settings.channels);
    server.serve(channels);
    return await runRow(
      {
        key: 'plain',
        title: 'plain Node SSE',
        serverUrl: server.url,
        channels,
        publish: (channel, context) => void server.publish(channel, context),
      },
      settings,
    );
  } finally {
    await server.close();
  }
}

async function daphneRow(settings: LatencySettings): Promise<Figure[]> {
  const row = { key: 'daphne', title: 'Daphne + Redis' };
  try {
    ensureSystemDeps();
  } catch (error) {
    const reason = `skipped: the real servers need system packages (${firstLine(error)})`;
    const s = specs(row);
    return [notMeasured(s.notifyP99, reason)];
  }
  try {
    const redis = await startRedis();
    const daphne = await startDaphne({ redisPort: redis.port });
    const channels = channelNames(settings.channels);
    let failed = 0;
    return await runRow(
      {
        ...row,
        serverUrl: daphne.url,
        channels,
        publish(channel, context) {
          // Stamped before the PUBLISH goes to Redis: the figure includes Redis and Daphne.
          publishLabelStudio(redis.port, channel, { ...context, bench_sent_us: nowUs() }).then(
            (receivers) => {
              if (receivers === 0) failed += 1;
            },
            () => {
              failed += 1;
            },
          );
        },
        lost: () => failed,
        async ready() {
          for (const channel of channels) await waitForSubscribers(redis.port, channel, 1, 15_000);
        },
      },
      settings,
    );
  } catch (error) {
    return [notMeasured(specs(row).notifyP99, `not measured: ${firstLine(error)}`)];
  } finally {
    await stopAll();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

export async function measureLatency(settings: LatencySettings): Promise<Figure[]> {
  return [...(await plainRow(settings)), ...(await daphneRow(settings))];
}
