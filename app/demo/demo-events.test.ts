import { describe, expect, it } from 'vitest';
import { normalizeFrame } from '../../engine/events/normalize.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { demoEvent, naiveLocalIso } from './demo-events.ts';

const NOW = new Date(2026, 10, 23, 10, 4, 5, 123).getTime();

function normalized(seq: number) {
  const result = normalizeFrame(
    { data: JSON.stringify(demoEvent(seq, NOW)) },
    {
      serverId: 'demo',
      serverUrl: 'http://127.0.0.1:1234',
      channel: 'user_42',
      taskUrlTemplate: DEFAULT_TASK_URL,
      receivedAt: NOW,
    },
  );
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

describe('demo events', () => {
  it('writes message_time as Label Studio does: naive local ISO with microseconds', () => {
    expect(naiveLocalIso(NOW)).toBe('2026-11-23T10:04:05.123000');
    expect(demoEvent(0, NOW).message_time).toBe('2026-11-23T10:04:05.123000');
  });

  it('tells a task’s story the engine understands, with task links', () => {
    const story = [0, 1, 2, 3, 4].map(normalized);
    expect(story.map((e) => e.type)).toEqual([
      'ocr.task.assigned',
      'ocr.annotation.started',
      'ocr.annotation.started',
      'ocr.annotation.completed',
      'ocr.batch.processed',
    ]);
    expect(story.every((e) => e.known)).toBe(true);
    expect(story[0]?.title).toBe('Task 100 assigned: invoice_0042.pdf');
    expect(story[0]?.taskUrl).toBe('http://127.0.0.1:1234/projects/3/data?task=100');
    expect(story[1]?.progress).toEqual({ done: 4, total: 12, ratio: 4 / 12 });
    expect(story[0]?.time).toBe(NOW);
    expect(story[4]?.taskUrl).toBeUndefined();
  });

  it('raises an OCR error every other round, and never repeats an event', () => {
    const types = Array.from({ length: 24 }, (_, i) => demoEvent(i, NOW).event_type);
    expect(types.filter((t) => t === 'ocr.error.occurred')).toHaveLength(2);
    const ids = new Set(Array.from({ length: 60 }, (_, i) => normalized(i).id));
    expect(ids.size).toBe(60);
  });
});
