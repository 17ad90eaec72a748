// `annotray watch --transport ws` against a WebSocket server in the test process: the same
// events, states and failures as the SSE transport, with WebSocket's own close codes.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type CliRun, runCli } from './support/cli-process.ts';
import { succeeded } from './support/save-result.ts';
import { createTestCore } from './support/test-core.ts';

let http: Server;
let wss: WebSocketServer;
let url: string;
let reject: number | undefined;
const sockets = new Set<WebSocket>();
const handshakes: { authorization?: string; origin?: string; path?: string }[] = [];
let cli: CliRun | undefined;

beforeAll(async () => {
  http = createServer();
  wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    handshakes.push({
      authorization: request.headers.authorization,
      origin: request.headers.origin,
      path: request.url,
    });
    if (reject !== undefined) {
      socket.end(`HTTP/1.1 ${reject} Forbidden\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  wss.close();
  await new Promise((r) => http.close(r));
});
afterEach(async () => {
  reject = undefined;
  await cli?.stop('SIGKILL');
  cli = undefined;
  // A killed client's socket lingers on the server until TCP notices: drop it, so the next
  // test counts only its own sockets.
  for (const ws of sockets) ws.terminate();
  sockets.clear();
});

const waitSockets = async (n: number) => {
  const end = Date.now() + 10_000;
  while (sockets.size !== n) {
    if (Date.now() > end) throw new Error(`expected ${n} sockets, have ${sockets.size}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const broadcast = (data: unknown) => {
  for (const ws of sockets) ws.send(JSON.stringify(data));
};

function watch(extra: string[] = []) {
  cli = runCli([
    'watch',
    '--server',
    url,
    '--channel',
    'user_42',
    '--transport',
    'ws',
    '--token',
    'tok-123',
    '--json',
    ...extra,
  ]);
  return cli;
}

describe('WebSocket transport', () => {
  it('authenticates, sends Origin, and delivers JSON messages as typed events (epoch and ISO times)', async () => {
    const run = watch();
    await waitSockets(1);
    expect(handshakes.at(-1)).toEqual({
      authorization: 'Token tok-123',
      origin: url,
      path: '/ws/notifications/',
    });
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    broadcast({
      event_type: 'ocr.task.assigned',
      task_id: 5,
      project_id: 2,
      document_name: 'a.pdf',
      message_time: 1795000000.5,
    });
    broadcast({
      event_type: 'ocr.batch.processed',
      subject: 'Batch 3',
      message_time: '2026-11-23T10:00:00Z',
    });
    broadcast({
      event_type: 'ocr.task.assigned',
      task_id: 5,
      project_id: 2,
      document_name: 'a.pdf',
      message_time: 1795000000.5,
    });
    await run.waitFor(() => run.events().length === 2);
    expect(run.events().map((e) => [e.title, e.time, e.taskUrl])).toEqual([
      ['Task 5 assigned: a.pdf', new Date(1795000000500).toISOString(), `${url}/projects/2/data?task=5`],
      ['Batch processed: Batch 3', '2026-11-23T10:00:00.000Z', null],
    ]);
  });

  it('reconnects after 1011 and after the socket drops, recording gaps', async () => {
    const run = watch();
    await waitSockets(1);
    for (const ws of sockets) ws.close(1011, 'redis went away');
    await run.waitFor(
      (l) => l.kind === 'status' && l.state === 'reconnecting' && /1011/.test(String(l.reason)),
    );
    await waitSockets(1);
    await run.waitFor((l) => l.kind === 'gap' && l.to !== null);
    for (const ws of sockets) ws.terminate();
    await run.waitFor(
      (l) => l.kind === 'status' && l.state === 'reconnecting' && /1006/.test(String(l.reason)),
    );
    await waitSockets(1);
    broadcast({ event_type: 'ocr.annotation.completed', task_id: 8 });
    await run.waitFor((l) => l.kind === 'event');
  });

  it('stops with a reason on a 403 handshake and on an application auth close code', async () => {
    reject = 403;
    const run = watch();
    const failed = await run.waitFor((l) => l.kind === 'status' && l.state === 'failed');
    expect(failed.reason).toMatch(/403/);
    expect((await run.exited).code).toBe(3);
    reject = undefined;
    const second = watch();
    await waitSockets(1);
    for (const ws of sockets) ws.close(4003, 'not your group');
    const closed = await second.waitFor((l) => l.kind === 'status' && l.state === 'failed');
    expect(closed.reason).toMatch(/4003.*not your group/);
  });

  it('replaces a silent socket after the idle time, opening the new one first, and shows the silent time as a stall gap', async () => {
    const run = watch(['--idle-refresh', '2']);
    await waitSockets(1);
    const first = [...sockets][0];
    await waitSockets(1);
    const end = Date.now() + 10_000;
    while ([...sockets][0] === first || sockets.size !== 1) {
      if (Date.now() > end) throw new Error('the silent socket was not replaced');
      await new Promise((r) => setTimeout(r, 50));
    }
    broadcast({ event_type: 'ocr.task.assigned', task_id: 9 });
    await run.waitFor((l) => l.kind === 'event');
    // No disconnection, but the silent time is shown: had it stalled, what was sent then is lost.
    expect(run.of('gap').map((g) => g.gapKind)).not.toContain('down');
    expect(run.of('gap').map((g) => g.gapKind)).toContain('stall');
  });
});

describe('WebSocket servers in the app', () => {
  it('saves a server with the WebSocket transport, follows it, and tests it with a handshake', async () => {
    const {
      core,
      pushes: pushed,
      stored,
    } = createTestCore({
      vault: { available: false, encrypt: async (x) => x, decrypt: async (x) => x },
    });
    const server = {
      name: 'Channels',
      url,
      eventsPath: '',
      taskUrl: '',
      channels: ['user_42'],
      authScheme: 'token' as const,
      token: 'tok-app',
      idleRefreshSeconds: 300,
      transport: 'ws' as const,
      socketPath: '',
    };
    try {
      await core.start();
      const test = succeeded(await core.request('settings:testConnection', { server, channel: 'user_42' }));
      expect(test.verdict).toBe('ok');
      expect(test.checks.map((c) => c.title)).toEqual([
        'Settings: the socket URL is valid',
        expect.stringMatching(/^Handshake: accepted in \d+ ms$/),
      ]);
      reject = 403;
      const refused = succeeded(
        await core.request('settings:testConnection', { server, channel: 'user_42' }),
      );
      expect(refused.verdict).toBe('fail');
      expect(refused.checks[1]?.fix).toMatch(/ALLOWED_HOSTS/);
      reject = undefined;

      const saved = succeeded(await core.request('settings:saveServer', { server }));
      expect(saved.servers[0]).toMatchObject({ transport: 'ws', socketPath: '/ws/notifications/' });
      expect(stored().servers[0]).toMatchObject({ transport: 'ws', socketPath: '/ws/notifications/' });
      await waitSockets(1);
      expect(handshakes.at(-1)).toMatchObject({ authorization: 'Token tok-app', path: '/ws/notifications/' });
      // The test-connection socket may still be closing: send until the app's own socket has it.
      const end = Date.now() + 5_000;
      while (!JSON.stringify(pushed).includes('Batch processed: Batch 9')) {
        if (Date.now() > end) throw new Error('the event did not reach the window');
        broadcast({ event_type: 'ocr.batch.processed', subject: 'Batch 9' });
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(JSON.stringify(pushed).split('Batch processed: Batch 9').length - 1).toBe(1);
    } finally {
      await core.stop();
    }
  });
});
