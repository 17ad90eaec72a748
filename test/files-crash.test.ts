// History files survive `kill -9` in the middle of a write (snapshots are replaced atomically,
// a torn journal line is ignored), and a corrupt file is moved aside and reported, never fatal.

import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
        expect(snapshot?.version).toBe(1);
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
      for (let i = 0; i < 100 && !run.stderr().includes('unreadable'); i += 1)
        await new Promise((r) => setTimeout(r, 20));
      expect(run.stderr()).toMatch(
        /history file .* was unreadable \(the file is not valid JSON.*\); moved to .*\.corrupt-/,
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
