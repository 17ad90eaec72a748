// `npm run bench`: runs every benchmark in turn, prints a table and writes bench/results.json
// (machine, Node version, date, each figure with its PRODUCT.md §6 bar and whether it was
// met). Benchmarks measure: a missed bar is reported, never an error. The exit code is 1
// only when a benchmark itself crashed.
//
// Environment: BENCH_ONLY=latency,burst runs a subset; BENCH_IDLE_SECONDS (default 60),
// BENCH_LATENCY_SECONDS (default 10), BENCH_PROXY_SECONDS (default 120), BENCH_OVERHEAD_EVENTS (default 50000) and
// BENCH_HISTORY_RUNS (default 3, start-up with full histories) size the runs;
// BENCH_CPU_PROF=DIR makes every benchmark child write a V8 CPU profile into DIR (the
// profiler's own sampling then inflates the CPU figures, idle most of all).

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureBurst } from './burst.ts';
import { measureIdle } from './idle.ts';
import { measureLatency } from './latency.ts';
import { measureOverhead } from './overhead.ts';
import { measureProxy } from './proxy.ts';
import { measureStartup } from './startup.ts';
import { measureHistoryStartup } from './startup-history.ts';
import { type Figure, notMeasured } from './support/figure.ts';
import { formatTable } from './support/table.ts';
import { TARGETS } from './support/targets.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

const settings = {
  latency: { seconds: envNumber('BENCH_LATENCY_SECONDS', 10), perSecond: 100, channels: 50 },
  overhead: { events: Math.round(envNumber('BENCH_OVERHEAD_EVENTS', 50_000)), perSecond: 10_000 },
  idle: { seconds: envNumber('BENCH_IDLE_SECONDS', 60), channels: 100 },
  burst: { events: 10_000, perSecond: 10_000 },
  startup: { channels: 50, runs: 5 },
  startupHistory: {
    channelCounts: [20, 50],
    events: 10_000,
    runs: Math.round(envNumber('BENCH_HISTORY_RUNS', 3)),
  },
  // ≤ 3 min in all; a few seconds of proxy timeout give many cuts in that budget.
  proxy: { seconds: envNumber('BENCH_PROXY_SECONDS', 120), readTimeoutSeconds: 3 },
};

const LIST_BENCH = new URL('./list.ts', import.meta.url);

/** The renderer's list (PRODUCT.md §6): measured by bench/list.ts once the renderer exists. */
async function measureList(): Promise<Figure[]> {
  const first = {
    bench: 'list',
    id: 'list.firstRender',
    label: '10,000 events listed: first render',
    unit: 'ms',
    target: TARGETS.listFirstRender,
  };
  const longest = {
    bench: 'list',
    id: 'list.longestTask',
    label: 'longest task while scrolling',
    unit: 'ms',
    target: TARGETS.listLongestTask,
  };
  if (!existsSync(LIST_BENCH)) {
    const why = 'not measured yet: renderer not built';
    return [notMeasured(first, why), notMeasured(longest, why)];
  }
  // A computed specifier: the file may not exist yet when this is type-checked.
  const module = (await import(LIST_BENCH.href)) as { measureList?: () => Promise<Figure[]> };
  if (typeof module.measureList !== 'function')
    throw new Error('bench/list.ts must export measureList(): Promise<Figure[]>');
  return module.measureList();
}

const BENCHES: readonly { readonly name: string; run(): Promise<Figure[]> }[] = [
  { name: 'latency', run: () => measureLatency(settings.latency) },
  { name: 'overhead', run: () => measureOverhead(settings.overhead) },
  { name: 'idle', run: () => measureIdle(settings.idle) },
  { name: 'burst', run: () => measureBurst(settings.burst) },
  { name: 'startup', run: () => measureStartup(settings.startup) },
  { name: 'startupHistory', run: () => measureHistoryStartup(settings.startupHistory) },
  { name: 'list', run: measureList },
  { name: 'proxy', run: () => measureProxy(settings.proxy) },
];

async function main(): Promise<number> {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((name) => !BENCHES.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown benchmarks: ${unknown.join(', ')}`);
  const profileDir = process.env.BENCH_CPU_PROF;
  if (profileDir)
    process.stdout.write(`CPU profiles go to ${profileDir}; CPU figures include the profiler's cost\n`);
  const started = Date.now();
  const figures: Figure[] = [];
  const crashed: { bench: string; error: string }[] = [];
  for (const bench of BENCHES) {
    if (only && !only.includes(bench.name)) continue;
    const t0 = Date.now();
    process.stdout.write(`▶ ${bench.name} … `);
    try {
      const result = await bench.run();
      figures.push(...result);
      process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      crashed.push({ bench: bench.name, error: message });
      process.stdout.write(`crashed after ${((Date.now() - t0) / 1000).toFixed(1)} s\n${message}\n`);
    }
  }

  const cpus = os.cpus();
  const results = {
    machine: {
      platform: `${os.type()} ${os.release()}`,
      arch: os.arch(),
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
    node: process.version,
    date: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    settings: {
      ...settings,
      ...(only ? { only } : {}),
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
    },
    figures,
    crashed,
  };
  const out = fileURLToPath(new URL('./results.json', import.meta.url));
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    `\n${results.machine.cpu} × ${results.machine.cores}, ${results.machine.memoryGiB} GiB, ${results.machine.platform}, Node ${results.node}\n\n`,
  );
  process.stdout.write(`${formatTable(figures)}\n`);
  process.stdout.write(`\nwrote ${out} (${results.durationSeconds} s)\n`);
  return crashed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
