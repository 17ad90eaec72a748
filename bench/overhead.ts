// Overhead: CPU time per event of the whole engine pipeline (fetch, SSE parsing, normalize,
// dedupe, history, policy, Notifier) against a bare `eventsource` client reading the same
// stream. Each client runs in its own child process (the bare client, the engine with its
// history in memory, the engine saving history to disk as the app does), all connected at
// once to one channel of the plain server, which writes identical bytes to all at a steady
// rate; CPU time (process.cpuUsage: user + system, every thread) is taken from a mark after a
// warm-up to the moment each child has received the last event. Ratios are taken within the
// run. Two floors beside the bare client show what part of the bar any payload reader uses up:
// the bare client that also JSON.parses each payload, and one that also runs normalizeFrame
// (parse, id, time) and keeps nothing. Then the engine is fed the same frames without any
// network, to show its own share.

import type { BareWork } from './support/bare-child.ts';
import { ocrContext, pace, startBenchServer } from './support/bench-server.ts';
import type { Progress } from './support/child-probes.ts';
import { type ChildHandle, startChild } from './support/child-rpc.ts';
import type { EngineChildConfig } from './support/engine-child.ts';
import { type Figure, measured } from './support/figure.ts';
import type { PipelineCost } from './support/pipeline-child.ts';
import { TARGETS } from './support/targets.ts';

export interface OverheadSettings {
  readonly events: number;
  readonly perSecond: number;
}

const CHANNEL = 'bench_overhead';
const WARM_UP = 3_000;

interface Client {
  readonly key: string;
  readonly label: string;
  readonly child: ChildHandle;
}

/** The engine without the network, in a child of its own: where the time per event goes. */
async function pipelineCost(events: number): Promise<PipelineCost> {
  const child = await startChild(new URL('./support/pipeline-child.ts', import.meta.url), 'engine pipeline');
  try {
    return await child.call<PipelineCost>('run', { events, warmUp: WARM_UP });
  } finally {
    await child.close();
  }
}

export async function measureOverhead(settings: OverheadSettings): Promise<Figure[]> {
  const server = await startBenchServer();
  server.serve([CHANNEL]);
  const clients: Client[] = [];
  try {
    const engineConfig = (historyOnDisk: boolean): EngineChildConfig => ({
      serverUrl: server.url,
      channels: [CHANNEL],
      preferences: 'default',
      historyOnDisk,
    });
    const baselines: readonly { key: string; label: string; work: BareWork }[] = [
      { key: 'bare', label: 'bare eventsource client', work: 'count' },
      { key: 'bareParse', label: 'bare client + JSON.parse', work: 'parse' },
      { key: 'bareNormalize', label: 'bare client + normalizeFrame', work: 'normalize' },
    ];
    for (const { key, label, work } of baselines) {
      const child = await startChild(new URL('./support/bare-child.ts', import.meta.url), label);
      clients.push({ key, label, child });
      await child.call('start', { url: `${server.url}${server.path(CHANNEL)}`, timeoutMs: 10_000, work });
    }
    const engine = await startChild(new URL('./support/engine-child.ts', import.meta.url), 'engine');
    clients.push({ key: 'engine', label: 'engine, history in memory', child: engine });
    await engine.call('start', engineConfig(false));
    const disk = await startChild(
      new URL('./support/engine-child.ts', import.meta.url),
      'engine + disk history',
    );
    clients.push({ key: 'engineDisk', label: 'engine, history saved to disk', child: disk });
    await disk.call('start', engineConfig(true));
    for (const c of clients.slice(baselines.length)) await c.child.call('waitOpen', { timeoutMs: 10_000 });
    await server.server.waitForOpenStreams(server.path(CHANNEL), clients.length, 10_000);

    let seq = 0;
    const send = (): void => void server.publish(CHANNEL, ocrContext(seq++));
    await pace(WARM_UP, settings.perSecond, send);
    for (const c of clients) {
      const warmed = await c.child.call<Progress>(
        'waitEvents',
        { count: WARM_UP, timeoutMs: 20_000 },
        25_000,
      );
      if (warmed.timedOut)
        throw new Error(`${c.label}: only ${warmed.count} of ${WARM_UP} warm-up events arrived`);
      await c.child.call('memory', { gc: true });
      await c.child.call('mark');
    }

    const sent = await pace(settings.events, settings.perSecond, send);
    const results = new Map<string, Progress>();
    for (const c of clients) {
      const progress = await c.child.call<Progress>(
        'waitEvents',
        { count: WARM_UP + sent.sent, timeoutMs: 60_000 },
        65_000,
      );
      if (progress.timedOut)
        throw new Error(`${c.label}: only ${progress.events} of ${sent.sent} events arrived within 60 s`);
      results.set(c.key, progress);
    }

    const perEvent = (key: string): number => {
      const p = results.get(key);
      if (!p) throw new Error(`no result for ${key}`);
      return p.cpuUs / p.events;
    };
    // A floor that skipped its work would look cheap: it must have normalized every event.
    const normalizer = clients.find((c) => c.key === 'bareNormalize');
    const normalized = normalizer ? await normalizer.child.call<number>('normalized') : 0;
    if (normalized !== WARM_UP + sent.sent)
      throw new Error(`the normalizeFrame floor normalized ${normalized} of ${WARM_UP + sent.sent} events`);
    for (const c of clients) await c.child.call('stop').catch(() => {});
    const pipeline = await pipelineCost(settings.events);
    const bareUs = perEvent('bare');
    const engineUs = perEvent('engine');
    const diskUs = perEvent('engineDisk');
    const seconds = (sent.lastUs - sent.firstUs) / 1e6;
    const run = `${sent.sent} events of ~${Math.round(JSON.stringify(ocrContext(1)).length + 80)} B at ${settings.perSecond}/s (${seconds.toFixed(1)} s), after ${WARM_UP} warm-up events`;
    const spec = (id: string, label: string, unit: string) => ({
      bench: 'overhead',
      id: `overhead.${id}`,
      label,
      unit,
    });
    const r2 = (v: number): number => Math.round(v * 100) / 100;
    return [
      measured({ ...spec('bare.us', 'bare eventsource client: CPU per event', 'µs'), note: run }, r2(bareUs)),
      measured(
        {
          ...spec('bareParse.ratio', 'floor: bare client + JSON.parse of each payload ÷ bare', '×'),
          note: 'what any client that reads the payload pays; no target',
        },
        r2(perEvent('bareParse') / bareUs),
      ),
      measured(
        {
          ...spec('bareNormalize.ratio', 'floor: bare client + normalizeFrame, nothing kept ÷ bare', '×'),
          note: 'parse, stable id, time: no dedupe, history, policy or notification; no target',
        },
        r2(perEvent('bareNormalize') / bareUs),
      ),
      measured(spec('engine.us', 'engine pipeline, history in memory: CPU per event', 'µs'), r2(engineUs)),
      measured(
        {
          ...spec('engine.ratio', 'engine ÷ bare eventsource (same run)', '×'),
          target: TARGETS.overheadRatio,
        },
        r2(engineUs / bareUs),
      ),
      measured(
        spec('engineDisk.us', 'engine pipeline + history saved to disk: CPU per event', 'µs'),
        r2(diskUs),
      ),
      measured(
        {
          ...spec('engineDisk.ratio', 'engine + disk history ÷ bare eventsource (same run)', '×'),
          target: TARGETS.overheadRatio,
          note: 'as the app and `watch --history` run it: FileHistoryStore, changes journaled once a second per channel',
        },
        r2(diskUs / bareUs),
      ),
      measured(
        {
          ...spec('pipeline.us', "engine's own work per event, no network (fake subscription)", 'µs'),
          note: `of which normalizeFrame ${r2(pipeline.normalizeUs)} µs (JSON.parse ${r2(pipeline.parseUs)} µs)`,
        },
        r2(pipeline.engineUs),
      ),
    ];
  } finally {
    for (const c of clients) {
      await c.child.call('stop').catch(() => {});
      await c.child.close();
    }
    await server.close();
  }
}
