// Start-up with full histories: `annotray watch --history DIR` and the app's core (AppCore in
// a child of its own, no Electron) starting with 20 and with 50 channels whose histories on
// disk are full (10,000 events each, ~9.6 MB of JSON per channel). Measured: spawn (or
// core.start()) → every channel open; how long an event published at that moment on one
// channel takes to be delivered, and then one on every channel, on the slowest (each is held
// until its own channel's history is in: loading must not hold up the others); when every
// history is in; the heap after GC once started; and
// the first window snapshot (`app:snapshot` + `events:list` for all channels), its time and size.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../test/support/cli-process.ts';
import type { AppCoreStartup } from './support/app-core-child.ts';
import { ocrContext, startBenchServer } from './support/bench-server.ts';
import { startChild } from './support/child-rpc.ts';
import { type Figure, measured, median } from './support/figure.ts';
import { writeFullHistories } from './support/history-fixture.ts';
import { nowUs, sleep } from './support/stamp.ts';

export interface HistoryStartupSettings {
  readonly channelCounts: readonly number[];
  readonly events: number;
  readonly runs: number;
}

const TIMEOUT_MS = 60_000;
/** The CLI's server id, which names its channels' histories (`cli/<channel>`). */
const SERVER_ID = 'cli';
const HEAP_REPORT = fileURLToPath(new URL('./support/heap-report.ts', import.meta.url));

interface WatchRun {
  readonly openMs: number;
  /** An event published on one channel only (the last configured) → printed. */
  readonly oneMs: number;
  readonly deliveredMs: number;
  readonly heapUsed: number;
  readonly rss: number;
}

async function watchOnce(
  serverUrl: string,
  channels: readonly string[],
  dir: string,
  publish: (c: string, seq: number) => void,
  seq: number,
): Promise<WatchRun> {
  const t0 = nowUs();
  const cli = runCli(
    [
      'watch',
      '--server',
      serverUrl,
      ...channels.flatMap((c) => ['--channel', c]),
      '--json',
      '--history',
      dir,
    ],
    { NODE_OPTIONS: `--expose-gc --import=${HEAP_REPORT}` },
  );
  try {
    await Promise.all(
      channels.map((c) =>
        cli.waitFor(
          (l) => l.kind === 'status' && l.channel === c && l.state === 'open',
          TIMEOUT_MS,
          `${c} open`,
        ),
      ),
    );
    const openMs = (nowUs() - t0) / 1000;
    const eventOn = (c: string) =>
      cli.waitFor((l) => l.kind === 'event' && l.channel === c, TIMEOUT_MS, `an event on ${c}`);
    // First on one channel alone, the last configured (read last if histories went in order):
    // how long a channel with traffic waits while the quiet ones' histories are still read.
    const one = channels.at(-1) as string;
    const sent = nowUs();
    publish(one, seq);
    await eventOn(one);
    const oneMs = (nowUs() - sent) / 1000;
    for (const c of channels) if (c !== one) publish(c, seq);
    await Promise.all(channels.map(eventOn));
    const deliveredMs = (nowUs() - sent) / 1000;
    // Past the save the keeper makes a second after each load, so the heap is the settled one.
    await sleep(2_500);
    const before = cli.stderr().length;
    cli.child.kill('SIGUSR2');
    const deadline = Date.now() + 10_000;
    let report: { heapUsed: number; rss: number } | undefined;
    while (!report && Date.now() < deadline) {
      const match = /BENCH_HEAP (\{.*\})/.exec(cli.stderr().slice(before));
      if (match?.[1]) report = JSON.parse(match[1]) as { heapUsed: number; rss: number };
      else await sleep(20);
    }
    if (!report) throw new Error('watch did not report its heap');
    return { openMs, oneMs, deliveredMs, heapUsed: report.heapUsed, rss: report.rss };
  } finally {
    await cli.stop();
  }
}

export async function measureHistoryStartup(settings: HistoryStartupSettings): Promise<Figure[]> {
  const most = Math.max(...settings.channelCounts);
  const all = Array.from({ length: most }, (_, i) => `bench_full_${i}`);
  const server = await startBenchServer();
  server.serve(all);
  const dir = await mkdtemp(path.join(tmpdir(), 'annotray-bench-full-'));
  const figures: Figure[] = [];
  const spec = (id: string, label: string, unit: string) => ({
    bench: 'startupHistory',
    id: `startupHistory.${id}`,
    label,
    unit,
  });
  const r = (v: number): number => Math.round(v);
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  const spread = (values: readonly number[], digits = 0): string =>
    `median of ${values.length} runs (${values.map((v) => v.toFixed(digits)).join(', ')})`;
  let seq = 0;
  const publish = (c: string, s: number): void => void server.publish(c, ocrContext(10_000_000 + s));
  try {
    const t0 = Date.now();
    const bytes = await writeFullHistories(dir, SERVER_ID, server.url, all, settings.events);
    const fixture = `${most} histories of ${settings.events.toLocaleString('en')} events, ${mb(bytes)} MB of JSON, written in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    for (const n of settings.channelCounts) {
      const channels = all.slice(0, n);
      const watch: WatchRun[] = [];
      for (let run = 0; run < settings.runs; run += 1)
        watch.push(await watchOnce(server.url, channels, dir, publish, seq++));
      const core: (AppCoreStartup & { settledHeap: number })[] = [];
      for (let run = 0; run < settings.runs; run += 1) {
        const child = await startChild(new URL('./support/app-core-child.ts', import.meta.url), 'app core');
        try {
          const result = await child.call<AppCoreStartup>(
            'start',
            {
              serverId: SERVER_ID,
              serverUrl: server.url,
              channels,
              historyDir: dir,
              storedEvents: settings.events,
              timeoutMs: TIMEOUT_MS,
            },
            TIMEOUT_MS + 5_000,
          );
          await sleep(2_500);
          const settled = await child.call<{ heapUsed: number }>('memory');
          core.push({ ...result, settledHeap: settled.heapUsed });
          await child.call('stop', {}, 30_000);
        } finally {
          await child.close();
        }
      }
      const w = (f: (x: WatchRun) => number) => watch.map(f);
      const c = (f: (x: (typeof core)[number]) => number) => core.map(f);
      figures.push(
        measured(
          {
            ...spec(
              `watch${n}.open`,
              `watch --history, ${n} full channels: spawn → every channel open`,
              'ms',
            ),
            note: `${spread(w((x) => x.openMs))}; ${fixture}`,
          },
          r(median(w((x) => x.openMs))),
        ),
        measured(
          {
            ...spec(
              `watch${n}.one`,
              `watch --history, ${n}: event published at open on one channel → printed`,
              'ms',
            ),
            note: `${spread(w((x) => x.oneMs))}; on the last channel configured, the others quiet`,
          },
          r(median(w((x) => x.oneMs))),
        ),
        measured(
          {
            ...spec(
              `watch${n}.delivered`,
              `watch --history, ${n}: event published at open → printed, slowest channel`,
              'ms',
            ),
            note: `${spread(w((x) => x.deliveredMs))}; the others published once the first was printed; an event waits for its own channel's history only`,
          },
          r(median(w((x) => x.deliveredMs))),
        ),
        measured(
          {
            ...spec(`watch${n}.heap`, `watch --history, ${n}: heap after GC once started`, 'MB'),
            note: `${spread(
              w((x) => mb(x.heapUsed)),
              1,
            )} MB; RSS ${mb(median(w((x) => x.rss)))} MB`,
          },
          mb(median(w((x) => x.heapUsed))),
        ),
        measured(
          {
            ...spec(`core${n}.open`, `app core, ${n} full channels: start → every channel open`, 'ms'),
            note: spread(c((x) => x.openMs)),
          },
          r(median(c((x) => x.openMs))),
        ),
        measured(
          {
            ...spec(`core${n}.loaded`, `app core, ${n}: start → every history in`, 'ms'),
            note: spread(c((x) => x.loadedMs)),
          },
          r(median(c((x) => x.loadedMs))),
        ),
        measured(
          {
            ...spec(
              `core${n}.snapshot`,
              `app core, ${n}: first window snapshot (app:snapshot + events:list)`,
              'ms',
            ),
            note: `${spread(c((x) => x.snapshotMs))}; ${core[0]?.listedEvents ?? 0} events listed, ${mb(median(c((x) => x.snapshotBytes)))} MB as JSON`,
          },
          r(median(c((x) => x.snapshotMs))),
        ),
        measured(
          {
            ...spec(`core${n}.heap`, `app core, ${n}: heap after GC once started`, 'MB'),
            note: `${spread(
              c((x) => mb(x.settledHeap)),
              1,
            )} MB (${mb(median(c((x) => x.memory.heapUsed)))} MB right after the snapshot)`,
          },
          mb(median(c((x) => x.settledHeap))),
        ),
      );
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
