// `annotray watch` as a child process against the fault-injecting SSE server: every fault the
// issue lists, observed the way a script using --json would observe it.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from './support/cli-process.ts';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';

const PATH = '/api/notifications/events/user_42';
let server: SseTestServer;
let cli: CliRun | undefined;

beforeAll(async () => {
  server = await startSseTestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await cli?.stop('SIGKILL');
  cli = undefined;
});

function lsEvent(n: number, extra: Record<string, unknown> = {}): string {
  const ctx = {
    event_type: 'ocr.task.assigned',
    subject: 'New OCR Task Assigned',
    message: `Document 'invoice_${n}.pdf' assigned for annotation`,
    message_time: `2026-11-23T10:04:05.${String(n).padStart(6, '0')}`,
    user: 42,
    task_id: n,
    project_id: 3,
    document_name: `invoice_${n}.pdf`,
    ...extra,
  };
  return `data: ${JSON.stringify(ctx)}\n\n`;
}

function watch(path = PATH, extra: string[] = []): CliRun {
  const channel = decodeURIComponent(path.split('/').pop() ?? 'user_42');
  cli = runCli([
    'watch',
    '--server',
    server.url,
    '--channel',
    channel,
    '--token',
    'secret-token',
    '--json',
    ...extra,
  ]);
  return cli;
}

const state =
  (name: string, extra: (l: Record<string, unknown>) => boolean = () => true) =>
  (l: Record<string, unknown>) =>
    l.kind === 'status' && l.state === name && extra(l);

describe('annotray watch --json', () => {
  it('prints typed events with task links and the original payload, and exits 0 on SIGTERM', async () => {
    server.route(PATH, { kind: 'stream' });
    const run = watch();
    await server.waitForOpenStreams(PATH, 1);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Token secret-token');
    server.send(PATH, lsEvent(7, { document_name: 'invoice_0042.pdf' }));
    const event = await run.waitFor((l) => l.kind === 'event');
    expect(event).toMatchObject({
      kind: 'event',
      channel: 'user_42',
      type: 'ocr.task.assigned',
      title: 'Task 7 assigned: invoice_0042.pdf',
      taskUrl: `${server.url}/projects/3/data?task=7`,
      payload: { user: 42, task_id: 7 },
    });
    expect(await run.stop('SIGTERM')).toBe(0);
    expect(run.stderr()).not.toContain('secret-token');
  });

  it('shows a server that holds its headers back as open and quiet, without reconnecting', async () => {
    server.route(PATH, { kind: 'stream', holdHeaders: true });
    const before = server.requests.length;
    const run = watch();
    await run.waitFor(
      state('open', (l) => l.awaitingHeaders === true),
      10_000,
      'open while awaiting headers',
    );
    await new Promise((r) => setTimeout(r, 2_500));
    expect(server.requests.length - before).toBe(1);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    server.send(PATH, lsEvent(1));
    await run.waitFor((l) => l.kind === 'event');
    await run.waitFor(state('open', (l) => l.awaitingHeaders === false));
  });

  it('reconnects after the stream is cut mid-way and records the gap', async () => {
    server.route(PATH, { kind: 'stream' });
    const run = watch();
    await server.waitForOpenStreams(PATH, 1);
    server.send(PATH, lsEvent(1));
    await run.waitFor((l) => l.kind === 'event');
    server.dropAll(PATH);
    await run.waitFor(state('reconnecting'));
    await server.waitForOpenStreams(PATH, 1);
    await run.waitFor((l) => l.kind === 'gap' && l.to !== null, 10_000, 'a closed gap');
    server.send(PATH, lsEvent(2));
    await run.waitFor((l) => l.kind === 'event' && l.title === 'Task 2 assigned: invoice_2.pdf');
  });

  it('keeps retrying while connections are refused, then recovers', async () => {
    server.route(PATH, { kind: 'stream' });
    const run = watch();
    await server.waitForOpenStreams(PATH, 1);
    await server.stopListening();
    await run.waitFor(state('reconnecting'));
    await run.waitFor(
      state('reconnecting', (l) => /refused/.test(String(l.reason))),
      10_000,
      'a refused reconnect',
    );
    await server.startListening();
    await server.waitForOpenStreams(PATH, 1, 20_000);
    server.send(PATH, lsEvent(3));
    await run.waitFor((l) => l.kind === 'event', 10_000);
    const gap = await run.waitFor((l) => l.kind === 'gap' && l.to !== null);
    expect(Date.parse(String(gap.to))).toBeGreaterThan(Date.parse(String(gap.from)));
  });

  it.each([
    [
      {
        kind: 'status',
        status: 401,
        body: '{"detail":"Authentication credentials were not provided."}',
        contentType: 'application/json',
      },
      'unauthorized',
      /401/,
    ],
    [{ kind: 'status', status: 403, body: 'no', contentType: 'text/plain' }, 'forbidden', /403/],
    [{ kind: 'status', status: 404, body: 'nope', contentType: 'text/html' }, 'not-found', /404/],
    [{ kind: 'status', status: 204 }, 'stopped-by-server', /204/],
    [
      {
        kind: 'status',
        status: 200,
        body: '<html><title>Label Studio</title>hello</html>',
        contentType: 'text/html',
      },
      'not-sse',
      /text\/html/,
    ],
  ] as const)('stops for good on %o and exits 3', async (scenario, failure, reason) => {
    const path = `/api/notifications/events/final_${failure}`;
    server.route(path, scenario);
    const run = watch(path);
    const failed = await run.waitFor(state('failed'));
    expect(failed).toMatchObject({ failure, reason: expect.stringMatching(reason) });
    expect((await run.exited).code).toBe(3);
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('recognises a redirect to a login page as missing authentication', async () => {
    const path = '/api/notifications/events/behind_login';
    server.route(path, { kind: 'redirect', status: 302, location: '/user/login/?next=/x' });
    server.route('/user/login/', {
      kind: 'status',
      status: 200,
      contentType: 'text/html',
      body: '<form><input type="password"></form>',
    });
    const run = watch(path);
    const failed = await run.waitFor(state('failed'));
    expect(failed).toMatchObject({
      failure: 'login-page',
      reason: expect.stringMatching(/login page.*set a valid token/),
    });
    expect((await run.exited).code).toBe(3);
  });

  it('says so when redirects loop', async () => {
    const path = '/api/notifications/events/looping';
    server.route(path, { kind: 'redirect', status: 302, location: path });
    const run = watch(path);
    const failed = await run.waitFor(state('failed'));
    expect(failed.reason).toMatch(/loop/);
  });

  it('retries 500 and 502 and recovers when the server is back', async () => {
    const path = '/api/notifications/events/flaky';
    server.route(path, { kind: 'status', status: 502, body: 'Bad Gateway', contentType: 'text/html' });
    const run = watch(path);
    await run.waitFor(state('reconnecting', (l) => /502/.test(String(l.reason))));
    server.route(path, { kind: 'status', status: 500, body: 'oops', contentType: 'text/plain' });
    await run.waitFor(
      state('reconnecting', (l) => /500/.test(String(l.reason))),
      10_000,
    );
    server.route(path, { kind: 'stream' });
    await server.waitForOpenStreams(path, 1, 20_000);
    server.send(path, lsEvent(4));
    await run.waitFor((l) => l.kind === 'event', 10_000);
  });

  it('replaces a silently stalled stream after the idle time, losing nothing sent after the replacement, and shows the silent time as a stall gap', async () => {
    const path = '/api/notifications/events/stalls';
    server.route(path, { kind: 'stream' });
    const run = watch(path, ['--idle-refresh', '2']);
    await server.waitForOpenStreams(path, 1);
    server.send(path, lsEvent(10));
    await run.waitFor((l) => l.kind === 'event');
    server.stall(path);
    const requests = server.requests.filter((r) => r.path === path).length;
    await server.waitForRequests(path, requests + 1, 10_000);
    await new Promise((r) => setTimeout(r, 1_800));
    server.send(path, lsEvent(11));
    await run.waitFor((l) => l.kind === 'event' && l.title === 'Task 11 assigned: invoice_11.pdf', 10_000);
    expect(run.events().map((e) => e.title)).toEqual([
      'Task 10 assigned: invoice_10.pdf',
      'Task 11 assigned: invoice_11.pdf',
    ]);
    // No disconnection, but the silent time is shown: had it stalled, what was sent then is lost.
    expect(run.of('gap').map((g) => g.gapKind)).not.toContain('down');
    expect(run.of('gap').map((g) => g.gapKind)).toContain('stall');
  });

  it('delivers an event published during the overlap once, from both connections', async () => {
    const path = '/api/notifications/events/overlap';
    server.route(path, { kind: 'stream' });
    const run = watch(path, ['--idle-refresh', '2']);
    await server.waitForOpenStreams(path, 1);
    await server.waitForOpenStreams(path, 2, 10_000);
    server.send(path, lsEvent(20));
    await run.waitFor((l) => l.kind === 'event');
    await new Promise((r) => setTimeout(r, 500));
    expect(run.events()).toHaveLength(1);
  });

  it('shows replayed history once and sends Last-Event-ID', async () => {
    const path = '/api/notifications/events/replaying';
    const replay = [1, 2, 3].map((n) => `id: ${n}\n${lsEvent(n)}`);
    server.route(path, { kind: 'stream', replay });
    const run = watch(path);
    await run.waitFor(() => run.events().length === 3);
    server.dropAll(path);
    await server.waitForRequests(path, 2, 10_000);
    await server.waitForOpenStreams(path, 1);
    server.send(path, `id: 4\n${lsEvent(4)}`);
    await run.waitFor((l) => l.kind === 'event' && l.sseId === '4');
    expect(run.events().map((e) => e.sseId)).toEqual(['1', '2', '3', '4']);
    expect(server.requests.filter((r) => r.path === path).at(-1)?.headers['last-event-id']).toBe('3');
  });

  it('skips a 10 MB line on the same connection, says its size, and delivers the next event', async () => {
    const path = '/api/notifications/events/huge';
    server.route(path, { kind: 'stream' });
    const run = watch(path);
    await server.waitForOpenStreams(path, 1);
    server.send(path, lsEvent(30));
    await run.waitFor((l) => l.kind === 'event');
    const mb = 'x'.repeat(1024 * 1024);
    server.send(path, 'data: ');
    for (let i = 0; i < 10; i += 1) server.send(path, mb);
    server.send(path, `\n\n${lsEvent(31)}`);
    await run.waitFor((l) => l.kind === 'event' && l.title === 'Task 31 assigned: invoice_31.pdf', 20_000);
    expect(run.of('malformed').map((l) => l.reason)).toEqual([
      'an event of 10.0 MB is larger than the 4.0 MB limit',
    ]);
    // The same connection: never reconnecting, one request.
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('assembles an event trickled one byte at a time', async () => {
    const path = '/api/notifications/events/trickle';
    server.route(path, { kind: 'stream' });
    const run = watch(path);
    await server.waitForOpenStreams(path, 1);
    const frame = lsEvent(40);
    for (const ch of frame) {
      server.send(path, ch);
      await new Promise((r) => setTimeout(r, 3));
    }
    const event = await run.waitFor((l) => l.kind === 'event');
    expect(event.taskId).toBe(40);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const run = runCli(['watch', '--channel', 'x']);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toMatch(/--server URL is required/);
    const bad = runCli(['watch', '--server', 'ftp://x', '--channel', 'x']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toMatch(/http/);
  });
});
