// The WebSocket transport against a real Django Channels server (seed 002) on Daphne with
// channels_redis and Redis: live delivery, the 403 handshake, server kill and restart, and a
// Redis restart under a live socket.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelsServer, startChannelsServer } from './support/channels-server.ts';
import { type CliRun, runCli } from './support/cli-process.ts';
import { type RedisServer, startRedis } from './support/real-servers.ts';

let redis: RedisServer;
let server: ChannelsServer;
let cli: CliRun | undefined;

beforeAll(async () => {
  redis = await startRedis();
  server = await startChannelsServer({ redisPort: redis.port, tokens: { 'annotator-42': 42 } });
});
afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});
afterEach(async () => {
  await cli?.stop('SIGKILL');
  cli = undefined;
});

function watch(token?: string) {
  cli = runCli([
    'watch',
    '--server',
    server.url,
    '--channel',
    'user_42',
    '--transport',
    'ws',
    '--json',
    ...(token ? ['--token', token] : []),
  ]);
  return cli;
}

const ocr = (n: number) => ({
  event_type: 'ocr.task.assigned',
  subject: 'New OCR Task Assigned',
  message: `Document 'scan_${n}.pdf' assigned`,
  task_id: n,
  project_id: 4,
  document_name: `scan_${n}.pdf`,
  message_time: 1795000000 + n,
});

/** Publishes until the client shows the event (a fresh socket joins its group a moment after accept). */
async function publishUntilSeen(run: CliRun, n: number) {
  for (let i = 0; i < 50; i += 1) {
    await server.publish(42, ocr(n));
    try {
      return await run.waitFor((l) => l.kind === 'event' && l.taskId === n, 400);
    } catch {
      // not yet subscribed; publish again (dedupe keeps it to one event)
    }
  }
  throw new Error(`event ${n} never arrived\n${run.stderr()}`);
}

describe('WebSocket transport against Django Channels', () => {
  it('delivers group messages live as typed events, once', async () => {
    const run = watch('annotator-42');
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    await publishUntilSeen(run, 1);
    await server.publish(42, ocr(2));
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 2);
    expect(run.events().map((e) => e.taskId)).toEqual([1, 2]);
    expect(run.events()[0]).toMatchObject({
      title: 'Task 1 assigned: scan_1.pdf',
      taskUrl: `${server.url}/projects/4/data?task=1`,
    });
  });

  it('fails with a reason when the handshake is refused (no token, wrong token)', async () => {
    for (const token of [undefined, 'wrong']) {
      const run = watch(token);
      const failed = await run.waitFor((l) => l.kind === 'status' && l.state === 'failed');
      expect(failed.reason).toMatch(/403/);
      expect((await run.exited).code).toBe(3);
    }
  });

  it('reconnects after the server is killed and restarted', async () => {
    const run = watch('annotator-42');
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    await server.kill('SIGKILL');
    await run.waitFor((l) => l.kind === 'status' && l.state === 'reconnecting');
    await server.start();
    await run.waitFor((l) => l.kind === 'gap' && l.to !== null, 30_000);
    await publishUntilSeen(run, 10);
  });

  it('recovers group membership after Redis restarts under a live socket', async () => {
    const run = watch('annotator-42');
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    await publishUntilSeen(run, 20);
    await redis.restart();
    // channels_redis loses the connection and Daphne closes the socket with 1011; the group
    // membership is gone until the client reconnects, which it must do by itself.
    const outcome = await Promise.race([
      run
        .waitFor((l) => l.kind === 'status' && l.state === 'reconnecting', 20_000)
        .then((l) => `closed: ${String(l.reason)}`),
      publishUntilSeen(run, 21).then(() => 'still delivering'),
    ]);
    expect(outcome).toMatch(/1011/);
    await publishUntilSeen(run, 22);
  });
});
