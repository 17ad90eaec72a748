// `annotray watch` against the real servers (PRODUCT.md §1): Label Studio's endpoint on Daphne
// with Redis, directly and behind nginx, and the gunicorn + gevent server that replays its
// last N messages. Events arrive typed with task links, a missing token is a clear, final
// failure, a quiet channel stays healthy, replayed history is shown once, and every fault the
// deployments produce is survived: kills, a stopped proxy, a Redis restart that stalls the
// stream silently, and a flapping server.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, type JsonLine, runCli } from '../support/cli-process.ts';
import {
  delay,
  type LabelStudioServer,
  type NginxServer,
  publishLabelStudio,
  publishReplay,
  type RedisServer,
  type ReplayServer,
  startDaphne,
  startNginx,
  startRedis,
  startReplayServer,
  stopAll,
  waitForSubscribers,
} from '../support/real-servers.ts';

const TOKEN = 'conformance-token-7c1e';
let redis: RedisServer;
let daphne: LabelStudioServer;
let nginx: NginxServer;
let replay: ReplayServer;
const runs: CliRun[] = [];
let channelSeq = 0;
const fresh = (prefix = 'user') => `${prefix}_${process.pid}_${++channelSeq}`;

beforeAll(async () => {
  redis = await startRedis();
  daphne = await startDaphne({ redisPort: redis.port, token: TOKEN });
  nginx = await startNginx({ upstreamPort: daphne.port });
  replay = await startReplayServer({ heartbeatSeconds: 1, retryMs: 500 });
});
afterAll(async () => {
  await stopAll();
});
afterEach(async () => {
  await Promise.all(runs.splice(0).map((r) => r.stop('SIGKILL')));
  // Servers a test stopped come back for the next one.
  for (const s of [redis, daphne, nginx, replay]) if (!s.running) await s.start();
});

function watch(server: string, channels: string[], extra: string[] = []): CliRun {
  const run = runCli(
    ['watch', '--server', server, ...channels.flatMap((c) => ['--channel', c]), '--json', ...extra],
    {
      ANNOTRAY_TOKEN: TOKEN,
    },
  );
  runs.push(run);
  return run;
}

const ctx = (n: number, extra: Record<string, unknown> = {}) => ({
  event_type: 'ocr.task.assigned',
  subject: 'New OCR Task Assigned',
  message: `Document 'scan_${n}.pdf' assigned for annotation`,
  user: 42,
  task_id: n,
  project_id: 7,
  document_name: `scan_${n}.pdf`,
  ...extra,
});

const isState = (state: string, channel?: string) => (l: JsonLine) =>
  l.kind === 'status' && l.state === state && (channel === undefined || l.channel === channel);

/** Publishes event n until the CLI shows it: a fresh connection subscribes in Redis a moment after connecting. */
async function deliver(run: CliRun, channel: string, n: number, timeoutMs = 30_000): Promise<JsonLine> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    // Each user's events differ (Label Studio puts the user in them): identical payloads on two
    // channels would be one event seen twice, which the engine rightly shows once.
    await publishLabelStudio(
      redis.port,
      channel,
      ctx(n, { message_time: 1795000000 + n, recipient: channel }),
    );
    try {
      return await run.waitFor((l) => l.kind === 'event' && l.channel === channel && l.taskId === n, 500);
    } catch {
      // not subscribed yet
    }
  }
  throw new Error(
    `event ${n} on ${channel} never arrived\n${run.stderr().slice(-2000)}\n${JSON.stringify(run.lines.slice(-10))}`,
  );
}

describe('conformance', () => {
  it('receives typed events with task links from Daphne directly and through nginx', async () => {
    for (const base of [daphne.url, nginx.url]) {
      const channel = fresh();
      const run = watch(base, [channel]);
      await waitForSubscribers(redis.port, channel, 1, 15_000);
      await publishLabelStudio(
        redis.port,
        channel,
        ctx(3, { message_time: 1795000000.25, progress: { regions_completed: 2, total_regions: 8 } }),
      );
      const event = await run.waitFor((l) => l.kind === 'event');
      expect(event).toMatchObject({
        channel,
        type: 'ocr.task.assigned',
        title: 'Task 3 assigned: scan_3.pdf',
        taskUrl: `${base}/projects/7/data?task=3`,
        time: new Date(1795000000250).toISOString(),
        payload: {
          user: 42,
          task_id: 3,
          message_time: expect.stringMatching(/^2026-11-18T\d\d:06:40\.250000$/),
        },
      });
    }
  });

  it('fails clearly and for good without a token, and exits 3', async () => {
    const run = runCli(['watch', '--server', daphne.url, '--channel', fresh(), '--json']);
    runs.push(run);
    const failed = await run.waitFor(isState('failed'));
    expect(failed).toMatchObject({
      failure: 'unauthorized',
      reason: expect.stringMatching(/401: the token is missing or wrong/),
    });
    expect((await run.exited).code).toBe(3);
  });

  it('keeps a quiet channel healthy: open, no reconnects, then the first event arrives', async () => {
    const channel = fresh();
    const run = watch(nginx.url, [channel]);
    await run.waitFor(isState('open'));
    await delay(4_000);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(run.of('status')[1]?.awaitingHeaders).toBe(true);
    await deliver(run, channel, 1);
  });

  it('shows the history a replaying server resends on every connect only once', async () => {
    const channel = fresh('news');
    for (const n of [1, 2, 3]) await publishReplay(replay.url, channel, ctx(n));
    const run = watch(replay.url, [channel], ['--events-path', '/news/stream/{channel}/?last_n=5']);
    await run.waitFor(() => run.events().length === 3);
    await replay.kill('SIGKILL');
    await run.waitFor(isState('reconnecting'));
    await replay.start();
    await publishReplay(replay.url, channel, ctx(4));
    // The restarted server's memory is empty: its ids start at 1 again for the new event.
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 4, 30_000);
    for (const n of [5, 6]) await publishReplay(replay.url, channel, ctx(n));
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 6, 30_000);
    // Reconnecting to the live server replays 4, 5, 6 again: still shown once.
    const before = run.events().length;
    await replay.restart();
    await run.waitFor(
      (l) => l.kind === 'gap' && l.to !== null && Date.parse(String(l.to)) > Date.now() - 5_000,
      30_000,
    );
    await delay(1_500);
    expect(run.events().length).toBe(before);
    expect(run.events().map((e) => e.taskId)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('faults', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'reconnects after Daphne is killed with %s and records the outage',
    async (signal) => {
      const channel = fresh();
      const run = watch(daphne.url, [channel]);
      await deliver(run, channel, 1);
      if (signal === 'SIGKILL') await daphne.kill('SIGKILL');
      else await daphne.stop();
      await run.waitFor(isState('reconnecting'));
      await daphne.start();
      await run.waitFor((l) => l.kind === 'gap' && l.to !== null, 30_000);
      await deliver(run, channel, 2);
      expect(run.events().map((e) => e.taskId)).toEqual([1, 2]);
    },
  );

  it('survives nginx stopping: 502 or refused, then back', async () => {
    const channel = fresh();
    const run = watch(nginx.url, [channel]);
    await deliver(run, channel, 1);
    await nginx.stop();
    await run.waitFor(isState('reconnecting'));
    await delay(1_500);
    await nginx.start();
    await deliver(run, channel, 2);
    await daphne.kill('SIGKILL');
    const proxyDown = await run.waitFor(isState('reconnecting', channel), 15_000);
    expect(String(proxyDown.reason)).toMatch(/closed|broke|502|refused/);
    await run.waitFor((l) => isState('reconnecting', channel)(l) && /502/.test(String(l.reason)), 15_000);
    await daphne.start();
    await deliver(run, channel, 3);
  });

  it('recovers a stream that stalled silently when Redis restarted, through the idle refresh', async () => {
    const channel = fresh();
    const run = watch(nginx.url, [channel], ['--idle-refresh', '3']);
    await deliver(run, channel, 1);
    await redis.restart();
    // The old stream stays open and silent forever (Daphne never notices); the engine replaces it.
    const stalledAt = Date.now();
    const event = await deliver(run, channel, 2, 30_000);
    const recovery = Date.parse(String(event.receivedAt)) - stalledAt;
    expect(recovery).toBeLessThan(15_000);
    expect(run.events().map((e) => e.taskId)).toEqual([1, 2]);
  });

  it('rides out a server flapping every few seconds without duplicates', async () => {
    const channels = [fresh(), fresh()];
    const run = watch(daphne.url, channels);
    for (const c of channels) await deliver(run, c, 1);
    for (let flap = 0; flap < 3; flap += 1) {
      await daphne.kill('SIGKILL');
      await delay(800);
      await daphne.start();
      for (const c of channels) await deliver(run, c, flap + 2);
    }
    for (const c of channels) expect(run.events(c).map((e) => e.taskId)).toEqual([1, 2, 3, 4]);
    for (const c of channels)
      expect(run.of('gap', c).filter((g) => g.to !== null).length).toBeGreaterThanOrEqual(3);
  });
});
