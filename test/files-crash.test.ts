// History files survive `kill -9` in the middle of a write (snapshots are replaced atomically,
// a torn journal line is ignored), a corrupt file is moved aside and reported, never fatal, a
// file that cannot be read is never written over, and the last SSE id survives a restart.

import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHistoryStore } from '../engine/history/file-history-store.ts';
import { runCli } from './support/cli-process.ts';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'annotray-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('history files under kill -9', () => {
  it('always reads back a whole history after the writer is killed mid-write', async () => {
    const store = new FileHistoryStore(dir);
    const sizes: number[] = [];
    for (let kill = 0; kill < 12; kill += 1) {
      const child = fork(new URL('./fixtures/history-writer.ts', import.meta.url), [dir], {
        stdio: 'ignore',
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 400)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const snapshot = await store.load('crash/user_42');
      // The first kill may come before the first write finished: then there is no file yet.
      if (kill > 0 || snapshot) {
        expect(snapshot?.version).toBe(2);
        sizes.push(snapshot?.events.length ?? 0);
      }
    }
    const files = await readdir(dir);
    expect(files.filter((f) => f.includes('.corrupt-'))).toEqual([]);
    expect(sizes.length).toBeGreaterThan(5);
    // Each run resumes from what the last one left: the history keeps growing to its bound.
    expect(Math.max(...sizes)).toBeGreaterThan(500);
  }, 60_000);
});

describe('a corrupt history file', () => {
  let server: SseTestServer;
  beforeAll(async () => {
    server = await startSseTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is moved aside and reported by watch, which goes on working', async () => {
    const historyDir = join(dir, 'cli');
    const store = new FileHistoryStore(historyDir);
    await store.save('cli/user_7', {
      version: 1,
      channelKey: 'cli/user_7',
      events: [],
      unread: [],
      gaps: [],
    });
    await writeFile(store.pathFor('cli/user_7'), '{"version":1,"channelKey":"cli/user_7","events":[{"id":');
    server.route('/api/notifications/events/user_7', { kind: 'stream' });
    const run = runCli([
      'watch',
      '--server',
      server.url,
      '--channel',
      'user_7',
      '--json',
      '--history',
      historyDir,
    ]);
    try {
      await server.waitForOpenStreams('/api/notifications/events/user_7', 1);
      server.send(
        '/api/notifications/events/user_7',
        'data: {"event_type":"ocr.task.assigned","task_id":1,"project_id":1}\n\n',
      );
      await run.waitFor((l) => l.kind === 'event');
      const told = await run.waitFor((l) => l.kind === 'history', 5_000, 'a history line');
      expect(told.problem).toMatch(
        /the stored history .* was unreadable \(the file is not valid JSON.*\); it was moved to .*\.corrupt-.*; this channel's history starts empty/,
      );
      expect(await run.stop('SIGTERM')).toBe(0);
      const files = await readdir(historyDir);
      expect(files.some((f) => f.includes('.corrupt-'))).toBe(true);
      expect((await store.load('cli/user_7'))?.events).toHaveLength(1);
    } finally {
      await run.stop('SIGKILL');
    }
  });
});

describe('a history that cannot be read', () => {
  let server: SseTestServer;
  beforeAll(async () => {
    server = await startSseTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is never written over: watch says so once, keeps delivering, and leaves the file as it was', async () => {
    const historyDir = join(dir, 'unreadable');
    const store = new FileHistoryStore(historyDir);
    // A folder where the snapshot should be: readFile fails with EISDIR (EACCES, from a run
    // with sudo, cannot be made here: the tests run as root, which reads anything).
    await mkdir(store.pathFor('cli/user_9'), { recursive: true });
    const path = '/api/notifications/events/user_9';
    server.route(path, { kind: 'stream' });
    const run = runCli([
      'watch',
      '--server',
      server.url,
      '--channel',
      'user_9',
      '--json',
      '--history',
      historyDir,
    ]);
    try {
      const told = await run.waitFor((l) => l.kind === 'history', 5_000, 'a history line');
      expect(told.problem).toMatch(
        /is a folder, not a history file\. New events are shown but not saved, so the stored history is not overwritten/,
      );
      await server.waitForOpenStreams(path, 1);
      for (let n = 1; n <= 3; n += 1) {
        server.send(path, `data: {"event_type":"ocr.task.assigned","task_id":${n},"project_id":1}\n\n`);
      }
      await run.waitFor(() => run.events().length === 3, 5_000, 'three events');
      // Past the one-second save delay, twice.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await run.stop('SIGTERM')).toBe(0);
      expect(run.of('history')).toHaveLength(1);
      expect((await stat(store.pathFor('cli/user_9'))).isDirectory()).toBe(true);
      expect(await readdir(historyDir)).toEqual([expect.stringMatching(/^cli_user_9-/)]);
    } finally {
      await run.stop('SIGKILL');
    }
  });
});

describe('catch-up across a restart of watch --history', () => {
  let server: SseTestServer;
  beforeAll(async () => {
    server = await startSseTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends the last id of the previous run as Last-Event-ID; a server that honours it resends what was missed, shown once, credited to the gap', async () => {
    // A spec server: it keeps every message and, on connect, resends those after Last-Event-ID.
    const log: { id: number; time: string }[] = [];
    const streams = new Set<ServerResponse>();
    const frame = (m: { id: number; time: string }) =>
      `id: ${m.id}\ndata: ${JSON.stringify({ event_type: 'ocr.task.assigned', task_id: m.id, project_id: 1, message_time: m.time })}\n\n`;
    const publish = (id: number) => {
      const message = { id, time: new Date().toISOString() };
      log.push(message);
      for (const res of streams) res.write(frame(message));
    };
    const path = '/api/notifications/events/user_5';
    server.route(path, {
      kind: 'handler',
      handle: (req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const after = Number(req.headers['last-event-id'] ?? 0);
        for (const m of log) if (m.id > after) res.write(frame(m));
        streams.add(res);
        res.on('close', () => streams.delete(res));
      },
    });
    const historyDir = join(dir, 'catch-up');
    const args = ['watch', '--server', server.url, '--channel', 'user_5', '--json', '--history', historyDir];

    const subscribed = async () => {
      for (let i = 0; i < 250 && streams.size === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(streams.size).toBe(1);
    };
    const first = runCli(args);
    try {
      await subscribed();
      for (const id of [1, 2, 3]) publish(id);
      await first.waitFor(() => first.events().length === 3, 5_000, 'three events');
      expect(await first.stop('SIGTERM')).toBe(0);
    } finally {
      await first.stop('SIGKILL');
    }

    // Published while nothing was listening.
    publish(4);
    publish(5);
    await new Promise((r) => setTimeout(r, 50));

    const second = runCli(args);
    try {
      await second.waitFor(() => second.events().length === 2, 10_000, 'the two missed events');
      const requests = server.requests.filter((r) => r.path === path);
      expect(requests.at(-1)?.headers['last-event-id']).toBe('3');
      publish(6);
      await second.waitFor(() => second.events().length === 3, 5_000, 'the live event');
      expect(second.events().map((e) => e.sseId)).toEqual(['4', '5', '6']);
      const gap = await second.waitFor(
        (l) => l.kind === 'gap' && l.resent === 2,
        5_000,
        'the gap crediting 2',
      );
      expect(gap.to).not.toBeNull();
    } finally {
      await second.stop('SIGKILL');
    }
  });
});
