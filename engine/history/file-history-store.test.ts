import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../events/normalize.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import { ChannelHistory, type HistorySnapshot } from './channel-history.ts';
import { FileHistoryStore, historyFileName } from './file-history-store.ts';
import { HistoryReadError } from './history-read-error.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'annotray-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileHistoryStore', () => {
  it('writes and reads back a channel history', async () => {
    const store = new FileHistoryStore(join(dir, 'nested'));
    const h = new ChannelHistory('ls/user_42');
    h.add(sampleEvent());
    h.openGap(5, 'down');
    await store.save('ls/user_42', h.snapshot());
    // Read back as saved, with no journal over it.
    expect(await store.load('ls/user_42')).toEqual({ ...h.snapshot(), journal: { lines: 0, unreadable: 0 } });
    expect(await store.load('ls/other')).toBeUndefined();
  });

  it('writes each engine event compactly: its payload as the text that arrived, no words, the names once', async () => {
    const store = new FileHistoryStore(dir);
    const h = new ChannelHistory('ls/user_42');
    const event = sampleEvent({ message: 'compact' });
    h.add(event);
    await store.save('ls/user_42', h.snapshot());
    const file = JSON.parse(await readFile(store.pathFor('ls/user_42'), 'utf8'));
    expect(file.version).toBe(2);
    expect(file.events[0]).not.toHaveProperty('title');
    expect(JSON.parse(file.events[0].data)).toEqual(event.payload);
    // The channel's names are said once, not in each event, and come back with each.
    expect(file.names).toEqual({ serverId: 'ls', channel: 'user_42' });
    expect(file.events[0]).not.toHaveProperty('channelKey');
    const back = new ChannelHistory('ls/user_42');
    back.restore((await store.load('ls/user_42')) as HistorySnapshot);
    expect(back.events.map((e) => [e.channelKey, e.serverId, e.channel, e.title])).toEqual([
      ['ls/user_42', 'ls', 'user_42', event.title],
    ]);
  });

  it('reads a version 1 history (plain events) with the same words, and asks for it to be saved again compactly', async () => {
    const store = new FileHistoryStore(dir);
    const event = sampleEvent({ message: 'from an older Annotray' });
    const plain = JSON.parse(JSON.stringify((event as LiveEvent).plain()));
    const v1 = { version: 1, channelKey: 'ls/user_42', events: [plain], unread: [plain.id], gaps: [] };
    await writeFile(store.pathFor('ls/user_42'), JSON.stringify(v1));
    const loaded = await store.load('ls/user_42');
    // No journal count: the keeper saves a history read without one whole.
    expect(loaded?.journal).toBeUndefined();
    const h = new ChannelHistory('ls/user_42');
    h.restore(loaded as HistorySnapshot);
    expect(h.events.map((e) => [e.title, e.body, e.taskUrl, e.message])).toEqual([
      [event.title, event.body, event.taskUrl, 'from an older Annotray'],
    ]);
    expect(h.unreadCount).toBe(1);
  });

  it('leaves no temp files behind and names files safely', async () => {
    const store = new FileHistoryStore(dir);
    await store.save('a/../b c', new ChannelHistory('a/../b c').snapshot());
    expect(await readdir(dir)).toEqual([historyFileName('a/../b c')]);
    expect(historyFileName('a/../b c')).toMatch(/^a_\.\._b_c-[0-9a-f]{10}\.json$/);
  });

  it('moves a corrupt file aside, with its journal, and rejects saying where it went and that nothing is lost by writing', async () => {
    const reports: unknown[] = [];
    const store = new FileHistoryStore(dir, { onCorrupt: (r) => reports.push(r) });
    const path = store.pathFor('ls/user_42');
    await writeFile(path, '{"version":1,"events":[{"id":');
    const error = await store.load('ls/user_42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryReadError);
    expect(error).toMatchObject({
      keptAside: true,
      message: expect.stringMatching(/not valid JSON.*moved to .*corrupt-/),
    });
    expect(reports).toEqual([
      expect.objectContaining({ path, reason: expect.stringMatching(/not valid JSON/) }),
    ]);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.corrupt-/);
    expect(await store.load('ls/user_42')).toBeUndefined();
    expect(await readFile(join(dir, files[0] ?? ''), 'utf8')).toContain('"events"');
  });

  it('treats a JSON file of the wrong shape as corrupt too', async () => {
    const store = new FileHistoryStore(dir);
    await writeFile(
      store.pathFor('k'),
      JSON.stringify({ version: 1, channelKey: 'other', events: [], unread: [], gaps: [] }),
    );
    await expect(store.load('k')).rejects.toMatchObject({ keptAside: true });
    expect((await readdir(dir))[0]).toMatch(/corrupt/);
  });

  it('treats a snapshot whose gaps or unread ids are not what restore needs as corrupt, instead of failing later', async () => {
    const store = new FileHistoryStore(dir);
    for (const bad of [{ gaps: [null] }, { gaps: [{ id: 'g', from: 'x', reason: '' }] }, { unread: [7] }]) {
      await writeFile(
        store.pathFor('k'),
        JSON.stringify({ version: 1, channelKey: 'k', events: [], unread: [], gaps: [], ...bad }),
      );
      await expect(store.load('k')).rejects.toMatchObject({ keptAside: true });
    }
    expect((await readdir(dir)).filter((f) => f.includes('.corrupt-')).length).toBeGreaterThanOrEqual(1);
  });

  it('rejects without moving anything when the history cannot be read at all (a folder in its place)', async () => {
    const store = new FileHistoryStore(dir);
    await mkdir(store.pathFor('k'));
    const error = await store.load('k').catch((e: unknown) => e);
    expect(error).toMatchObject({
      keptAside: false,
      message: expect.stringMatching(/is a folder, not a history file/),
    });
    expect(await readdir(dir)).toEqual([historyFileName('k')]);
  });

  it('reads the last SSE id alone, from the journal’s end or the snapshot’s head, without loading the history', async () => {
    const store = new FileHistoryStore(dir);
    expect(await store.loadCursor('k')).toBeUndefined();
    const h = new ChannelHistory('k');
    for (let i = 0; i < 2_000; i += 1) h.add(sampleEvent({ task_id: i, message: 'x'.repeat(200) }));
    h.setLastEventId('snap-7');
    await store.save('k', h.snapshot());
    expect(await store.loadCursor('k')).toBe('snap-7');
    const e = sampleEvent({ task_id: 99_999 });
    await store.append('k', [
      { t: 'event', event: e },
      { t: 'cursor', id: 'journal-"8"' },
    ]);
    await store.append('k', [{ t: 'event', event: sampleEvent({ task_id: 99_998 }) }]);
    expect(await store.loadCursor('k')).toBe('journal-"8"');
  });

  it('keeps the last SSE id in the snapshot and the journal', async () => {
    const store = new FileHistoryStore(dir);
    await store.append('k', [
      { t: 'cursor', id: 'a' },
      { t: 'cursor', id: 'b' },
    ]);
    expect((await store.load('k'))?.lastEventId).toBe('b');
    const h = new ChannelHistory('k');
    h.setLastEventId('c');
    await store.save('k', h.snapshot());
    expect((await store.load('k'))?.lastEventId).toBe('c');
  });
});

describe('FileHistoryStore journal', () => {
  it('replays appended changes over the snapshot', async () => {
    const store = new FileHistoryStore(dir);
    const h = new ChannelHistory('k');
    const a = sampleEvent();
    h.add(a);
    await store.save('k', h.snapshot());
    const b = sampleEvent();
    const c = sampleEvent();
    await store.append('k', [
      { t: 'event', event: b },
      { t: 'event', event: c },
      { t: 'read', ids: [a.id, b.id] },
      { t: 'gap', gap: { id: 'g1', from: 10, reason: 'down' } },
      { t: 'gap', gap: { id: 'g1', from: 10, to: 20, reason: 'down' } },
    ]);
    const loaded = await store.load('k');
    expect(loaded?.events.map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(loaded?.unread).toEqual([c.id]);
    expect(loaded?.gaps).toEqual([{ id: 'g1', from: 10, to: 20, reason: 'down' }]);
    expect(loaded?.journal).toEqual({ lines: 5, unreadable: 0 });
  });

  it('ignores a torn last line and unreadable lines, and works without a snapshot', async () => {
    const store = new FileHistoryStore(dir);
    const a = sampleEvent();
    await store.append('k', [{ t: 'event', event: a }]);
    await writeFile(
      store.journalPathFor('k'),
      `${await readFile(store.journalPathFor('k'), 'utf8')}not json\n{"t":"event","event":{"id":`,
      {
        flag: 'w',
      },
    );
    const loaded = await store.load('k');
    expect(loaded?.events.map((e) => e.id)).toEqual([a.id]);
    // Said, so that the keeper rewrites the history instead of appending after a torn line.
    expect(loaded?.journal).toEqual({ lines: 3, unreadable: 2 });
  });

  it('appends after a journal whose last record lost its newline without joining the two', async () => {
    const store = new FileHistoryStore(dir);
    const [a, b] = [sampleEvent(), sampleEvent()];
    await store.append('k', [{ t: 'event', event: a }]);
    const path = store.journalPathFor('k');
    await writeFile(path, (await readFile(path, 'utf8')).replace(/\n$/, ''));
    // The record is whole, so the keeper goes on appending to this journal.
    expect((await store.load('k'))?.journal).toEqual({ lines: 1, unreadable: 0 });
    await store.append('k', [{ t: 'event', event: b }]);
    const loaded = await store.load('k');
    expect(loaded?.events.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(loaded?.journal).toEqual({ lines: 2, unreadable: 0 });
  });

  it('compacts: a full save replaces the journal', async () => {
    const store = new FileHistoryStore(dir);
    const h = new ChannelHistory('k');
    await store.append('k', [{ t: 'readAll' }]);
    h.add(sampleEvent());
    await store.save('k', h.snapshot());
    expect(await readdir(dir)).toEqual([historyFileName('k')]);
    expect((await store.load('k'))?.events).toHaveLength(1);
  });
});
