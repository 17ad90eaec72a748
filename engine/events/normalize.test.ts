import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactStoredEvent,
  frameHash,
  frameKey,
  Interner,
  LiveEvent,
  normalizeFrame,
  ownCopy,
  parseProgress,
  type StoredEvent,
} from './normalize.ts';
import type { OcrEvent } from './ocr-event.ts';
import { DEFAULT_TASK_URL } from './task-link.ts';

const context = {
  serverId: 'ls',
  serverUrl: 'https://ls.example.com',
  channel: 'user_42',
  taskUrlTemplate: DEFAULT_TASK_URL,
  receivedAt: Date.UTC(2026, 10, 23, 9, 0, 0),
};

function normalize(data: unknown, extra: { eventName?: string; sseId?: string } = {}) {
  return normalizeFrame({ data: typeof data === 'string' ? data : JSON.stringify(data), ...extra }, context);
}

describe('normalizeFrame', () => {
  it('turns a Label Studio payload into a typed event with human wording and a task link', () => {
    const result = normalize({
      event_type: 'ocr.task.assigned',
      subject: 'New OCR Task Assigned',
      message: "Document 'invoice_0042.pdf' assigned for annotation",
      message_time: '2026-11-23T10:04:05.123456',
      user: 42,
      task_id: 7,
      project_id: 3,
      document_name: 'invoice_0042.pdf',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      type: 'ocr.task.assigned',
      known: true,
      title: 'Task 7 assigned: invoice_0042.pdf',
      body: "Document 'invoice_0042.pdf' assigned for annotation",
      user: '42',
      taskId: 7,
      projectId: 3,
      taskUrl: 'https://ls.example.com/projects/3/data?task=7',
      channelKey: 'ls/user_42',
      time: new Date(2026, 10, 23, 10, 4, 5, 123).getTime(),
    });
    expect((result.event.payload as { user: number }).user).toBe(42);
  });

  it('words progress, batches and errors', () => {
    const progress = normalize({
      event_type: 'ocr.annotation.started',
      task_id: 9,
      progress: { regions_completed: 3, total_regions: 10 },
    });
    expect(progress.ok && progress.event.title).toBe('Task 9 in progress (3/10)');
    expect(progress.ok && progress.event.progress).toEqual({ done: 3, total: 10, ratio: 0.3 });
    const error = normalize({
      event_type: 'ocr.error.occurred',
      subject: 'Page 3 unreadable',
      message: 'Tesseract failed',
    });
    expect(error.ok && [error.event.title, error.event.body]).toEqual([
      'OCR error: Page 3 unreadable',
      'Tesseract failed',
    ]);
    const batch = normalize({
      event_type: 'ocr.batch.processed',
      subject: 'Batch 12',
      message: '40 documents',
    });
    expect(batch.ok && batch.event.title).toBe('Batch processed: Batch 12');
  });

  it('keeps unknown types and shows them generically', () => {
    const r = normalize({
      event_type: 'export.finished',
      subject: 'Export ready',
      message: 'JSON export done',
    });
    expect(r.ok && [r.event.type, r.event.known, r.event.title, r.event.body]).toEqual([
      'export.finished',
      false,
      'Export ready',
      'JSON export done',
    ]);
    const named = normalize({ text: 'hello' }, { eventName: 'news' });
    expect(named.ok && [named.event.type, named.event.title]).toEqual(['news', 'news']);
  });

  it('skips what is not a JSON object, with a reason', () => {
    for (const [data, reason] of [
      ['{"broken": ', /not JSON/],
      ['[1,2]', /array/],
      ['42', /number/],
      ['null', /null/],
      ['"text"', /string/],
    ] as const) {
      const r = normalize(data);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });

  it('ignores wrong types in known fields instead of failing', () => {
    const r = normalize({
      event_type: 'ocr.task.assigned',
      subject: { x: 1 },
      task_id: '7; DROP',
      project_id: [1],
      progress: 'lots',
      message_time: 'never',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.taskId).toBeUndefined();
    expect(r.event.taskUrl).toBeUndefined();
    expect(r.event.progress).toBeUndefined();
    expect(r.event.time).toBe(context.receivedAt);
    expect(r.event.title).toBe('A task assigned');
  });

  it('clips very long text for display but keeps the original payload', () => {
    const long = 'x'.repeat(100_000);
    const r = normalize({ event_type: 'x', subject: long, message: long });
    expect(r.ok && r.event.title.length).toBeLessThanOrEqual(200);
    expect(r.ok && r.event.body.length).toBeLessThanOrEqual(1000);
    expect(r.ok && (r.event.payload as { message: string }).message.length).toBe(100_000);
  });

  it('identifies events by SSE id and content within a channel, otherwise by content within the server', () => {
    expect(frameKey({ data: 'a', sseId: '5' }, 'ls', 'user_1')).toBe(
      frameKey({ data: 'a', sseId: '5' }, 'ls', 'user_1'),
    );
    expect(frameKey({ data: 'a', sseId: '5' }, 'ls', 'user_1')).toMatch(/^ls\/user_1#5#[\w-]{27}$/);
    // A restarted server numbering from 1 again: same id, new content, a new event.
    expect(frameKey({ data: 'b', sseId: '5' }, 'ls', 'user_1')).not.toBe(
      frameKey({ data: 'a', sseId: '5' }, 'ls', 'user_1'),
    );
    expect(frameKey({ data: 'a', sseId: '5' }, 'ls', 'team')).not.toBe(
      frameKey({ data: 'a', sseId: '5' }, 'ls', 'user_1'),
    );
    expect(frameKey({ data: 'a' }, 'ls', 'user_1')).toBe(frameKey({ data: 'a' }, 'ls', 'team'));
    expect(frameKey({ data: 'a' }, 'ls', 'user_1')).not.toBe(frameKey({ data: 'b' }, 'ls', 'user_1'));
  });

  it('gives every frame the id stored histories were written with, whatever its text and size', () => {
    // The id a history holds is sha1 of "name\ndata" as UTF-8: a different digest would make
    // every event a server replays after an upgrade look new, and notify it again.
    const storedId = (name: string, data: string) =>
      createHash('sha1').update(`${name}\n${data}`, 'utf8').digest('base64url');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (name, data) => {
        expect(frameHash(name, data)).toBe(storedId(name, data));
      }),
      { numRuns: 500 },
    );
    // Lone surrogates (invalid UTF-16) are encoded as U+FFFD by both.
    expect(frameHash('message', 'a\ud800b')).toBe(storedId('message', 'a\ud800b'));
    // Larger than the reused buffer at first, and larger than it ever grows.
    for (const data of ['é'.repeat(40_000), `{"x":"${'✓'.repeat(1_100_000)}"}`]) {
      expect(frameHash('message', data)).toBe(storedId('message', data));
    }
    expect(frameHash('message', 'short again')).toBe(storedId('message', 'short again'));
  });

  it('never throws, whatever the data', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        fc.option(fc.string()),
        (data, name) => {
          const r = normalizeFrame({ data, ...(name ? { eventName: name } : {}) }, context);
          if (r.ok) {
            expect(typeof r.event.title).toBe('string');
            expect(
              r.event.taskUrl === undefined || r.event.taskUrl.startsWith('https://ls.example.com/'),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseProgress', () => {
  it('understands the shapes servers send', () => {
    expect(parseProgress(0.5)).toEqual({ ratio: 0.5 });
    expect(parseProgress(40)).toEqual({ ratio: 0.4 });
    expect(parseProgress('3/4')).toEqual({ done: 3, total: 4, ratio: 0.75 });
    expect(parseProgress('25%')).toEqual({ ratio: 0.25 });
    expect(parseProgress({ done: 2, total: 0 })).toBeUndefined();
    expect(parseProgress(-1)).toBeUndefined();
    expect(parseProgress(1000)).toBeUndefined();
  });
});

describe('events kept compactly', () => {
  const live = (data: unknown) => {
    const r = normalize(data);
    if (!r.ok) throw new Error(r.reason);
    return r.event as LiveEvent;
  };
  /** The event as a history file holds it and reads it back. */
  const stored = (data: unknown) => JSON.parse(JSON.stringify(live(data))) as StoredEvent;

  it('are stored with their payload as the text that arrived, and without their words', () => {
    const data = { event_type: 'ocr.task.assigned', task_id: 7, project_id: 3, document_name: 'a.pdf' };
    const compact = stored(data);
    expect(compact).toMatchObject({
      type: 'ocr.task.assigned',
      taskId: 7,
      taskUrl: 'https://ls.example.com/projects/3/data?task=7',
      data: JSON.stringify(data),
    });
    expect(Object.keys(compact)).not.toContain('title');
    expect(Object.keys(compact)).not.toContain('payload');
  });

  it('give the plain event, words and parsed payload included', () => {
    const event = live({
      event_type: 'ocr.task.assigned',
      task_id: 7,
      project_id: 3,
      document_name: 'a.pdf',
    });
    expect(event.plain()).toMatchObject({
      title: 'Task 7 assigned: a.pdf',
      documentName: 'a.pdf',
      payload: { event_type: 'ocr.task.assigned', task_id: 7, project_id: 3, document_name: 'a.pdf' },
    });
  });

  const payloads = fc.record({
    event_type: fc.constantFrom(
      'ocr.task.assigned',
      'ocr.annotation.started',
      'ocr.error.occurred',
      'custom',
    ),
    subject: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    message: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    task_id: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
    project_id: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
    progress: fc.option(fc.constantFrom(0.5, '3/10'), { nil: undefined }),
  });

  it('read back from a stored history give the same fields, wording and link', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const event = live(payload);
        expect((compactStoredEvent(stored(payload)) as LiveEvent).plain()).toEqual(event.plain());
      }),
    );
  });

  it('read back from a version 1 history (plain events) give the same fields, wording and link', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const plain = JSON.parse(JSON.stringify(live(payload).plain())) as OcrEvent;
        const read = compactStoredEvent(plain);
        expect(read).toBeInstanceOf(LiveEvent);
        expect(JSON.parse(JSON.stringify((read as LiveEvent).plain()))).toEqual(plain);
      }),
    );
  });

  it("read back keep the channel stored with them, and take their snapshot's when stored without one", () => {
    const names = { channelKey: 'ls/user_42', serverId: 'ls', channel: 'user_42' };
    const event = live({ event_type: 'custom', subject: 'S' });
    const namesOf = (e: OcrEvent) => ({ channelKey: e.channelKey, serverId: e.serverId, channel: e.channel });
    const interner = new Interner();
    const other = { ...event.stored(undefined), channelKey: 'ls/user_7', channel: 'user_7' };
    expect(namesOf(compactStoredEvent(other, interner, names))).toEqual({
      channelKey: 'ls/user_7',
      serverId: 'ls',
      channel: 'user_7',
    });
    expect(namesOf(compactStoredEvent(event.stored(names), interner, names))).toEqual(names);
    expect(namesOf(compactStoredEvent(event.stored(undefined), interner, names))).toEqual(names);
    expect(compactStoredEvent(other, interner, names).subject).toBe('S');
  });

  it('stay as stored when their stored wording is not what their facts give now', () => {
    const plain = { ...live({ event_type: 'ocr.task.assigned', task_id: 7 }).plain(), title: 'Old words' };
    expect(compactStoredEvent(plain).title).toBe('Old words');
  });

  it('stay as stored when a stored field is not what their payload gives now', () => {
    const plain = { ...live({ event_type: 'custom', subject: 'S' }).plain(), subject: 'Other rules' };
    expect(compactStoredEvent(plain).subject).toBe('Other rules');
  });

  it('keep the text they are given unchanged, lone surrogates included', () => {
    const data = `{"event_type":"custom","message":"${'x'.repeat(40)}"}`;
    expect(ownCopy(data)).toBe(data);
    expect(ownCopy('a\ud800b'.repeat(10))).toBe('a\ud800b'.repeat(10));
  });

  it('do not keep alive the chunk their text was cut from', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 100 events, each cut from its own 1 MB chunk the way the SSE parser cuts `data:` and `id:`.
    const kept = Array.from({ length: 100 }, (_, i) => {
      const chunk = `data: {"event_type":"custom","message":"event ${i} ${'x'.repeat(20)}"}\n\n${'y'.repeat(1 << 20)}${i}`;
      const r = normalizeFrame(
        { data: chunk.slice(6, chunk.indexOf('\n')), sseId: chunk.slice(40, 80) },
        context,
      );
      if (!r.ok) throw new Error(r.reason);
      return r.event;
    });
    gc();
    const retainedMb = (process.memoryUsage().heapUsed - before) / (1 << 20);
    expect(kept).toHaveLength(100);
    // Pinned chunks would be 100 MB; the events themselves are a few kB.
    expect(retainedMb).toBeLessThan(20);
  });
});
