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

  it('skips a 64 MB line on the same connection, says its size, keeps memory bounded and delivers the next event', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(path, ok(1));
    await run.waitFor((l) => l.kind === 'event');
    const before = rssMb(run.child.pid ?? 0);
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    server.send(path, 'data: ');
    let peak = before;
    for (let i = 0; i < 64; i += 1) {
      server.sendBytes(path, mb);
      if (i % 8 === 0) {
        await new Promise((r) => setTimeout(r, 20));
        peak = Math.max(peak, rssMb(run.child.pid ?? 0));
      }
    }
    server.send(path, `\n\n${ok(2)}`);
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 2, 30_000);
    peak = Math.max(peak, rssMb(run.child.pid ?? 0));
    expect(run.of('malformed').map((l) => l.reason)).toEqual([
      'an event of 64.0 MB is larger than the 4.0 MB limit',
    ]);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(1);
    expect(peak - before).toBeLessThan(80);
  });

  it('bounds one event of endless data: lines without a blank line: skipped, memory bounded, same connection', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    await run.waitFor((l) => l.kind === 'status' && l.state === 'open');
    const before = rssMb(run.child.pid ?? 0);
    const lines = `data: ${'z'.repeat(1000)}\n`.repeat(1000);
    let peak = before;
    for (let i = 0; i < 200; i += 1) {
      server.send(path, lines);
      if (i % 20 === 0) {
        await new Promise((r) => setTimeout(r, 20));
        peak = Math.max(peak, rssMb(run.child.pid ?? 0));
      }
    }
    server.send(path, `\n${ok(3)}`);
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 3, 30_000);
    peak = Math.max(peak, rssMb(run.child.pid ?? 0));
    expect(run.of('malformed').map((l) => l.reason)).toEqual([
      expect.stringMatching(/^an event of 192\.\d MB is larger than the 4\.0 MB limit$/),
    ]);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(peak - before).toBeLessThan(80);
  });

  it('delivers server events named error and open as events and keeps the one connection', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    for (let i = 0; i < 5; i += 1) server.send(path, `event: error\n${ok(10 + i)}event: open\n${ok(20 + i)}`);
    await run.waitFor(() => run.events().length === 10);
    expect(run.of('status').map((l) => l.state)).toEqual(['connecting', 'open']);
    expect(server.requests.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('sends an id above U+00FF back as UTF-8 Last-Event-ID and keeps reconnecting', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(path, `id: é✓😀\n${ok(1)}`);
    await run.waitFor((l) => l.kind === 'event');
    server.endAll(path);
    await server.waitForRequests(path, 2, 10_000);
    const header = server.requests.filter((r) => r.path === path)[1]?.headers['last-event-id'];
    expect(Buffer.from(String(header), 'latin1').toString('utf8')).toBe('é✓😀');
    await server.waitForOpenStreams(path, 1, 10_000);
    server.send(path, ok(2));
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 2);
  });

  it('does not send back a 1 MB id, says so once, and dedupes by its hash', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    const id = 'q'.repeat(1024 * 1024);
    server.send(path, `id: ${id}\n${ok(1)}id: ${id}\n${ok(1)}id: ${id}x\n${ok(2)}`);
    await run.waitFor((l) => l.kind === 'event' && l.taskId === 2);
    expect(run.events().map((e) => e.taskId)).toEqual([1, 2]);
    expect(run.of('malformed').map((l) => l.reason)).toEqual([
      expect.stringMatching(/^an id of 1048576 characters is longer than 1024/),
    ]);
    server.endAll(path);
    await server.waitForRequests(path, 2, 10_000);
    expect(server.requests.filter((r) => r.path === path)[1]?.headers['last-event-id']).toBeUndefined();
  });

  it('gives an event with message_time out of range the received time, marked, and prints it', async () => {
    const { path, run } = await follow();
    await server.waitForOpenStreams(path, 1);
    server.send(path, ok(1, { message_time: 8.64e15 + 1 }) + ok(2, { message_time: 1e300 }) + ok(3));
    await run.waitFor(() => run.events().length === 3);
    for (const e of run.events()) {
      expect(e.time).toBe(e.receivedAt);
      expect(e.timeIsReceived).toBe(true);
    }
  });

  it('prints control characters, escapes and bidi overrides from the wire escaped, never raw', async () => {
    seq += 1;
    const path = `/api/notifications/events/hostile_${seq}`;
    server.route(path, { kind: 'stream' });
    run = runCli(['watch', '--server', server.url, '--channel', `hostile_${seq}`]);
    let out = '';
    run.child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    await server.waitForOpenStreams(path, 1);
    const evil = 'a\u001b]8;;https://evil.example\u0007b\u001b[2J\u202ec\r\nTask 999 assigned: payroll.pdf';
    server.send(path, ok(1, { document_name: evil }) + ok(2, { event_type: 'x\u001b[31m\u0007' }) + ok(3));
    for (let i = 0; i < 400 && !out.includes('Task 3 assigned'); i += 1)
      await new Promise((r) => setTimeout(r, 25));
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    const raw = [...out].filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (c < 0x20 && c !== 0x0a) || c === 0x7f || c === 0x202e;
    });
    expect(raw).toEqual([]);
    expect(out).toContain(
      'Task 1 assigned: a\\x1b]8;;https://evil.example\\x07b\\x1b[2J\\u202ec\\r\\nTask 999',
    );
    expect(out).toContain('x\\x1b[31m\\x07');
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
