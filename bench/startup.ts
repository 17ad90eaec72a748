// Start-up: from spawning `annotray watch --json` with 50 channels until every channel has
// printed its first status line, until the server has seen all 50 requests, and until every
// channel reports `open`. `annotray --version` (process start to exit) is the floor: Node's
// own start-up plus loading the CLI.

import { spawn } from 'node:child_process';
import { BIN, runCli } from '../test/support/cli-process.ts';
import { startBenchServer } from './support/bench-server.ts';
import { type Figure, measured, median } from './support/figure.ts';
import { nowUs } from './support/stamp.ts';

export interface StartupSettings {
  readonly channels: number;
  readonly runs: number;
}

const TIMEOUT_MS = 20_000;

async function versionMs(): Promise<number> {
  const t0 = nowUs();
  const child = spawn(process.execPath, [BIN, '--version'], { stdio: 'ignore' });
  const killer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  clearTimeout(killer);
  return (nowUs() - t0) / 1000;
}

export async function measureStartup(settings: StartupSettings): Promise<Figure[]> {
  const server = await startBenchServer();
  const channels = Array.from({ length: settings.channels }, (_, i) => `bench_start_${i}`);
  server.serve(channels);
  const firstStatus: number[] = [];
  const requests: number[] = [];
  const open: number[] = [];
  const version: number[] = [];
  try {
    for (let run = 0; run < settings.runs; run += 1) {
      version.push(await versionMs());
      const t0 = nowUs();
      const cli = runCli([
        'watch',
        '--server',
        server.url,
        ...channels.flatMap((c) => ['--channel', c]),
        '--json',
      ]);
      try {
        const since = (): number => (nowUs() - t0) / 1000;
        const latest = async (waits: Promise<unknown>[]): Promise<number> => {
          const times = await Promise.all(waits.map((w) => w.then(since)));
          return Math.max(...times);
        };
        const [status, seen, opened] = await Promise.all([
          latest(
            channels.map((c) =>
              cli.waitFor(
                (l) => l.kind === 'status' && l.channel === c,
                TIMEOUT_MS,
                `a status line for ${c}`,
              ),
            ),
          ),
          latest(channels.map((c) => server.server.waitForRequests(server.path(c), run + 1, TIMEOUT_MS))),
          latest(
            channels.map((c) =>
              cli.waitFor(
                (l) => l.kind === 'status' && l.channel === c && l.state === 'open',
                TIMEOUT_MS,
                `${c} open`,
              ),
            ),
          ),
        ]);
        firstStatus.push(status);
        requests.push(seen);
        open.push(opened);
      } finally {
        await cli.stop();
      }
    }
  } finally {
    await server.close();
  }
  const spec = (id: string, label: string) => ({ bench: 'startup', id: `startup.${id}`, label, unit: 'ms' });
  const r = (v: number): number => Math.round(v);
  const spread = (values: number[]): string =>
    `median of ${values.length} runs (${values.map(r).join(', ')})`;
  const n = settings.channels;
  return [
    measured(
      { ...spec('version', '`annotray --version`: spawn → exit'), note: spread(version) },
      r(median(version)),
    ),
    measured(
      {
        ...spec('firstStatus', `watch, ${n} channels: spawn → every channel's first status line`),
        note: spread(firstStatus),
      },
      r(median(firstStatus)),
    ),
    measured(
      {
        ...spec('requests', `watch, ${n} channels: spawn → server saw all ${n} requests`),
        note: spread(requests),
      },
      r(median(requests)),
    ),
    measured(
      { ...spec('open', `watch, ${n} channels: spawn → every channel open`), note: spread(open) },
      r(median(open)),
    ),
  ];
}
