// A bounded soak (SOAK_SECONDS, default 75 s): `annotray watch` follows many channels through
// nginx → Daphne → Redis while a publisher sends sequence-numbered events and the servers are
// killed, stopped and restarted in turn. Checked at the end: no event twice; every event
// published while its channel was steadily connected arrived; every loss falls inside a
// recorded outage or a replaced silent connection; the CLI is alive and its memory flat.
// The figures are printed for the closing note of the issue.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, type JsonLine, runCli } from '../support/cli-process.ts';
import {
  delay,
  type LabelStudioServer,
  type NginxServer,
  publishLabelStudio,
  type RedisServer,
  startDaphne,
  startNginx,
  startRedis,
  stopAll,
} from '../support/real-servers.ts';

const SOAK_MS = Number(process.env.SOAK_SECONDS ?? 75) * 1000;
const CHANNELS = 12;
const PUBLISH_EVERY_MS = 150;
const MARGIN_MS = 1_500;

let redis: RedisServer;
let daphne: LabelStudioServer;
let nginx: NginxServer;

beforeAll(async () => {
  redis = await startRedis();
  daphne = await startDaphne({ redisPort: redis.port });
  nginx = await startNginx({ upstreamPort: daphne.port });
});
afterAll(async () => {
  await stopAll();
});

function rssMb(pid: number): number {
  const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  return kb / 1024;
}

interface Window {
  from: number;
  to: number;
}

function overlaps(t: number, windows: readonly Window[], margin: number): boolean {
  return windows.some((w) => t >= w.from - margin && t <= w.to + margin);
}

describe('soak: many channels, real servers failing repeatedly', () => {
  it(
    'reconnects every time, never duplicates, loses only inside outages, keeps memory flat',
    async () => {
      const channels = Array.from({ length: CHANNELS }, (_, i) => `soak_${process.pid}_${i}`);
      const run: CliRun = runCli([
        'watch',
        '--server',
        nginx.url,
        ...channels.flatMap((c) => ['--channel', c]),
        '--json',
        '--idle-refresh',
        '3',
      ]);
      await run.waitFor(
        () => run.of('status').filter((l) => l.state === 'open').length >= CHANNELS,
        20_000,
        'all channels open',
      );
      await delay(1_000);
      const pid = run.child.pid ?? 0;
      const rssStart = rssMb(pid);

      // Publisher: round robin over the channels, sequence numbers per channel.
      const published: { channel: string; seq: number; at: number }[] = [];
      const seqs = new Map(channels.map((c) => [c, 0]));
      let publishing = true;
      const publisher = (async () => {
        let i = 0;
        while (publishing) {
          const channel = channels[i % CHANNELS] as string;
          i += 1;
          const seq = (seqs.get(channel) ?? 0) + 1;
          seqs.set(channel, seq);
          const at = Date.now();
          try {
            await publishLabelStudio(redis.port, channel, {
              event_type: 'ocr.annotation.completed',
              task_id: seq,
              project_id: 1,
              seq,
              channel,
            });
            published.push({ channel, seq, at });
          } catch {
            // Redis is down: nothing was published.
          }
          await delay(PUBLISH_EVERY_MS / CHANNELS);
        }
      })();

      // Faults, in turn, until the time is up.
      const faults: { name: string; at: number }[] = [];
      const faultList: [string, () => Promise<void>][] = [
        [
          'daphne SIGKILL',
          async () => {
            await daphne.kill('SIGKILL');
            await delay(1_000);
            await daphne.start();
          },
        ],
        [
          'nginx stopped',
          async () => {
            await nginx.stop();
            await delay(1_500);
            await nginx.start();
          },
        ],
        [
          'redis restarted (streams stall silently)',
          async () => {
            await redis.restart();
          },
        ],
        [
          'daphne SIGTERM',
          async () => {
            await daphne.stop();
            await delay(500);
            await daphne.start();
          },
        ],
      ];
      const end = Date.now() + SOAK_MS;
      let f = 0;
      while (Date.now() + 12_000 < end) {
        const [name, inject] = faultList[f % faultList.length] as [string, () => Promise<void>];
        f += 1;
        faults.push({ name, at: Date.now() });
        await inject();
        await delay(7_000);
      }
      await delay(Math.max(0, end - Date.now()));
      publishing = false;
      await publisher;
      await delay(3_000);
      const rssEnd = rssMb(pid);
      expect(run.child.exitCode).toBeNull();

      // What the CLI saw.
      const events = run.events();
      const received = new Map<string, Map<number, number>>();
      for (const e of events) {
        const p = e.payload as { channel: string; seq: number };
        const perChannel = received.get(p.channel) ?? new Map<number, number>();
        perChannel.set(p.seq, (perChannel.get(p.seq) ?? 0) + 1);
        received.set(p.channel, perChannel);
      }
      const duplicates = [...received.values()].flatMap((m) => [...m.values()].filter((n) => n > 1)).length;

      const outages = new Map<string, Window[]>();
      for (const c of channels) outages.set(c, []);
      for (const g of run.of('gap')) {
        outages
          .get(String(g.channel))
          ?.push({ from: Date.parse(String(g.from)), to: g.to ? Date.parse(String(g.to)) : Date.now() });
      }
      for (const r of run.of('replaced')) {
        outages
          .get(String(r.channel))
          ?.push({ from: Date.parse(String(r.silentSince)), to: Date.parse(String(r.at)) });
      }

      let lostInOutage = 0;
      const unexplained: { channel: string; seq: number; at: string }[] = [];
      for (const p of published) {
        if (received.get(p.channel)?.has(p.seq)) continue;
        if (overlaps(p.at, outages.get(p.channel) ?? [], MARGIN_MS)) lostInOutage += 1;
        else unexplained.push({ channel: p.channel, seq: p.seq, at: new Date(p.at).toISOString() });
      }

      // Recovery: from each fault to the first event received on each channel afterwards.
      const recoveries: number[] = [];
      for (const fault of faults) {
        for (const c of channels) {
          const first = events.find(
            (e) => e.channel === c && Date.parse(String(e.receivedAt)) > fault.at + 200,
          ) as JsonLine | undefined;
          if (first) recoveries.push(Date.parse(String(first.receivedAt)) - fault.at);
        }
      }
      recoveries.sort((a, b) => a - b);
      const pct = (q: number) =>
        recoveries[Math.min(recoveries.length - 1, Math.floor(q * recoveries.length))] ?? NaN;
      const reconnects = run.of('status').filter((l) => l.state === 'reconnecting').length;
      const summary = {
        seconds: SOAK_MS / 1000,
        channels: CHANNELS,
        faults: faults.map((x) => x.name),
        published: published.length,
        received: events.length,
        duplicates,
        lostInsideOutages: lostInOutage,
        unexplainedLosses: unexplained.length,
        reconnects,
        silentConnectionsReplaced: run.of('replaced').length,
        gaps: run.of('gap').filter((g) => g.to !== null).length,
        recoveryMs: { p50: pct(0.5), p95: pct(0.95), max: recoveries.at(-1) },
        rssMb: { start: Math.round(rssStart), end: Math.round(rssEnd) },
      };
      console.info(`SOAK ${JSON.stringify(summary)}`);

      expect(duplicates).toBe(0);
      expect(unexplained).toEqual([]);
      expect(events.length).toBeGreaterThan(published.length * 0.7);
      expect(faults.length).toBeGreaterThanOrEqual(4);
      expect(reconnects).toBeGreaterThanOrEqual(CHANNELS * 2);
      expect(rssEnd - rssStart).toBeLessThan(60);
      await run.stop('SIGTERM');
      expect((await run.exited).code).toBe(0);
    },
    SOAK_MS + 120_000,
  );
});
