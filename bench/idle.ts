// Idle: what 100 open but quiet channels cost while nothing happens, which is most of an
// annotator's day. The engine runs in its own process against the plain server; after the
// connections have settled, CPU time is taken over BENCH_IDLE_SECONDS (default 60) and the
// heap is read after a full GC.

import { startBenchServer } from './support/bench-server.ts';
import type { MemoryFigures, Progress } from './support/child-probes.ts';
import { startChild } from './support/child-rpc.ts';
import type { EngineChildConfig } from './support/engine-child.ts';
import { type Figure, measured } from './support/figure.ts';
import { sleep } from './support/stamp.ts';
import { TARGETS } from './support/targets.ts';

export interface IdleSettings {
  readonly seconds: number;
  readonly channels: number;
}

const SETTLE_MS = 3_000;
const MB = 1024 * 1024;

export async function measureIdle(settings: IdleSettings): Promise<Figure[]> {
  const server = await startBenchServer();
  const channels = Array.from({ length: settings.channels }, (_, i) => `bench_idle_${i}`);
  server.serve(channels);
  const child = await startChild(new URL('./support/engine-child.ts', import.meta.url), 'engine (idle)');
  try {
    const config: EngineChildConfig = { serverUrl: server.url, channels, preferences: 'default' };
    await child.call('start', config);
    await child.call('waitOpen', { timeoutMs: 30_000 }, 35_000);
    // Let connection set-up finish (settle timers, first GCs) before measuring.
    await sleep(SETTLE_MS);
    const before = await child.call<MemoryFigures>('memory', { gc: true });
    await child.call('mark');
    await sleep(settings.seconds * 1000);
    const idle = await child.call<Progress>('progress');
    const unsettled = await child.call<MemoryFigures>('memory', { gc: false });
    const after = await child.call<MemoryFigures>('memory', { gc: true });
    const open = server.path(channels[0] ?? '');
    const streams = channels.reduce((n, c) => n + server.server.openStreams(server.path(c)), 0);

    const spec = (id: string, label: string, unit: string) => ({
      bench: 'idle',
      id: `idle.${id}`,
      label,
      unit,
    });
    const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
    const cpuPercent = (idle.cpuUs / idle.wallUs) * 100;
    return [
      measured(
        {
          ...spec('cpu', `${settings.channels} quiet channels: CPU`, '% of a core'),
          target: TARGETS.idleCpu,
          note: `${(idle.cpuUs / 1000).toFixed(1)} ms CPU in ${(idle.wallUs / 1e6).toFixed(1)} s; ${streams} streams open at the end (e.g. ${open})`,
        },
        Math.round(cpuPercent * 1000) / 1000,
      ),
      measured(
        {
          ...spec('heap', `${settings.channels} quiet channels: heap used after GC`, 'MB'),
          target: TARGETS.idleHeap,
        },
        mb(after.heapUsed),
      ),
      measured(
        spec('heapBefore', 'heap used after GC when the idle period began', 'MB'),
        mb(before.heapUsed),
      ),
      measured(spec('heapNoGc', 'heap used at the end, before GC', 'MB'), mb(unsettled.heapUsed)),
      measured(spec('rss', 'resident set size (RSS) at the end', 'MB'), mb(after.rss)),
    ];
  } finally {
    await child.call('stop').catch(() => {});
    await child.close();
    await server.close();
  }
}
