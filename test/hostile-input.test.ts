// Hostile servers and payloads (issue: bad input). For each: no crash, a clear reason where
// one is due, the valid events around it still delivered, and memory bounded.

import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from './support/cli-process.ts';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';

let server: SseTestServer;
let run: CliRun | undefined;
let seq = 0;

beforeAll(async () => {
  server = await startSseTestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await run?.stop('SIGKILL');
  run = undefined;
});

const ok = (n: number, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ event_type: 'ocr.task.assigned', task_id: n, project_id: 1, document_name: `d${n}.pdf`, ...extra })}\n\n`;

async function follow(
  scenario: Parameters<SseTestServer['route']>[1] = { kind: 'stream' },
  extra: string[] = [],
) {
  seq += 1;
  const path = `/api/notifications/events/hostile_${seq}`;
  server.route(path, scenario);
  run = runCli(['watch', '--server', server.url, '--channel', `hostile_${seq}`, '--json', ...extra]);
  return { path, run };
}

const rssMb = (pid: number) =>
  Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;

describe('hostile input', () => {
  it('skips malformed JSON, non-objects and wrong field types, delivering the valid events around them', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(
      path,
      ok(1) +
        'data: {"event_type": "ocr.task.assigned", "task_id": \n\n' +
        'data: [1,2,3]\n\ndata: 42\n\ndata: null\n\ndata: "just text"\n\n' +
        `data: ${JSON.stringify({ event_type: 7, subject: { a: 1 }, message: ['x'], task_id: 'DROP TABLE', progress: 'lots', message_time: 'never', document_name: null })}\n\n` +
        ok(2),
    );
    await run.waitFor(() => run.events().length === 3);
    expect(run.of('malformed')).toHaveLength(5);
    // A number where a string belongs is read as its text; an object or array is ignored.
    expect(run.events().map((e) => e.title)).toEqual([
      'Task 1 assigned: d1.pdf',
      '7',
      'Task 2 assigned: d2.pdf',
    ]);
    expect(run.events()[1]).toMatchObject({ taskUrl: null, type: '7', body: '' });
  });

  it('reads invalid UTF-8, a BOM, CRLF and CR line endings and multi-line data', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.sendBytes(path, new Uint8Array([0xef, 0xbb, 0xbf]));
    server.sendBytes(
      path,
      Buffer.concat([
        Buffer.from('data: {"event_type":"x","subject":"bad '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' bytes"}\n\n'),
      ]),
    );
    server.send(path, 'data: {"event_type":"crlf",\r\ndata: "subject":"two lines"}\r\n\r\n');
    server.send(path, 'data: {"event_type":"cr","subject":"cr only"}\r\r');
    server.send(path, ok(3));
    await run.waitFor(() => run.events().length === 4);
    expect(run.events().map((e) => e.title)).toEqual([
      'bad \uFFFD\uFFFD bytes',
      'two lines',
      'cr only',
      'Task 3 assigned: d3.pdf',
    ]);
  });

  it('shows HTML in a payload as text and never builds a link from injected task ids', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    server.send(path, ok(1, { subject: html, event_type: 'ocr.error.occurred' }));
    for (const id of [
      '../../admin',
      '1/../../x',
      '//evil.example/',
      'javascript:alert(1)',
      '1?x=1',
      '1#frag',
      '１２',
    ]) {
      server.send(path, ok(0, { task_id: id, project_id: 1, message: `attack ${id}` }));
    }
    server.send(path, ok(0, { task_id: 5, project_id: '../1' }));
    await run.waitFor(() => run.events().length === 9);
    expect(run.events()[0]?.title).toBe(`OCR error: ${html}`);
    expect(
      run
        .events()
        .slice(1)
        .map((e) => e.taskUrl),
    ).toEqual(Array(8).fill(null));
  });

  it('ignores retry: garbage and keeps its normal backoff', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(path, `retry: soon\n\nretry: -5\n\nretry: 99999999999999\n\nretry: 1e9\n\n${ok(1)}`);
    await run.waitFor((l) => l.kind === 'event');
    server.endAll(path);
    const rec = await run.waitFor((l) => l.kind === 'status' && l.state === 'reconnecting');
    expect(Date.parse(String(rec.nextAttemptAt)) - Date.parse(String(rec.at))).toBeLessThanOrEqual(1_000);
  });

  it('survives a 64 MB line: the stream is dropped with a reason, memory stays bounded, later events arrive', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(path, ok(1));
    await run.waitFor((l) => l.kind === 'event');
    const before = rssMb(run.child.pid ?? 0);
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    server.send(path, 'data: ');
    let peak = before;
    for (let i = 0; i < 64 && server.openStreams(path) > 0; i += 1) {
      server.sendBytes(path, mb);
      if (i % 8 === 0) {
        await new Promise((r) => setTimeout(r, 20));
        peak = Math.max(peak, rssMb(run.child.pid ?? 0));
      }
    }
    const rec = await run.waitFor((l) => l.kind === 'status' && l.state === 'reconnecting', 20_000);
    expect(rec.reason).toMatch(/too large/);
    // Reconnected, and the server has let go of the old stream (it may still be writing the
    // 64 MB into it): only then does a send reach the new one alone.
    await run.waitForAfter(rec, (l) => l.kind === 'status' && l.state === 'open', 20_000, 'open again');
    await server.waitForOpenStreams(path, 1, 20_000);
    server.send(path, ok(2));
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 2);
    peak = Math.max(peak, rssMb(run.child.pid ?? 0));
    expect(peak - before).toBeLessThan(80);
  });

  it('stays open through an endless comment stream without growing', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    const before = rssMb(run.child.pid ?? 0);
    const comments = `${': keep-alive\n'.repeat(8_000)}\n`;
    for (let i = 0; i < 300; i += 1) {
      server.send(path, comments);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    server.send(path, ok(1));
    await run.waitFor((l) => l.kind === 'event', 30_000);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(rssMb(run.child.pid ?? 0) - before).toBeLessThan(60);
  });

  it('treats a server that accepts and never answers as quiet, and replaces the connection', async () => {
    const { path, run } = await follow({ kind: 'hang' }, ['--idle-refresh', '2']);
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open' && l.awaitingHeaders === true);
    await server.waitForRequests(path, 2, 10_000);
    await run.waitFor((l) => l.kind === 'replaced', 10_000);
    expect(run.child.exitCode).toBeNull();
  });

  it('assembles headers and an event trickled slowly (slowloris) and keeps the channel', async () => {
    const { path, run } = await follow({
      kind: 'handler',
      handle: (_req, res) => {
        const bytes = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n${ok(9)}`);
        const socket = res.socket;
        if (!socket) return;
        let i = 0;
        const timer = setInterval(() => {
          if (i >= bytes.length || socket.destroyed) {
            clearInterval(timer);
            return;
          }
          socket.write(bytes.subarray(i, i + 3));
          i += 3;
        }, 10);
      },
    });
    await server.waitForRequests(path, 1);
    const event = await run.waitFor((l) => l.kind === 'event', 20_000);
    expect(event.taskId).toBe(9);
  });
});
