import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../testing/sample-events.ts';
import { ChannelHistory } from './channel-history.ts';

describe('ChannelHistory', () => {
  it('keeps events once, unread until read', () => {
    const h = new ChannelHistory('ls/user_42');
    const a = sampleEvent();
    const b = sampleEvent();
    expect(h.add(a)).toBe(true);
    expect(h.add(a)).toBe(false);
    h.add(b);
    expect(h.unreadCount).toBe(2);
    expect(h.markRead([a.id, 'unknown'])).toBe(1);
    expect(h.isUnread(a.id)).toBe(false);
    expect(h.markAllRead()).toBe(1);
    expect(h.unreadCount).toBe(0);
  });

  it('is bounded: the oldest events go first, with their unread state', () => {
    const h = new ChannelHistory('k', { maxEvents: 3, maxGaps: 2 });
    const events = Array.from({ length: 5 }, () => sampleEvent());
    for (const e of events) h.add(e);
    expect(h.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(h.unreadCount).toBe(3);
    expect(h.has(events[0]?.id ?? '')).toBe(false);
  });

  it('counts what it holds, the same before and after the dropped events are cut off', () => {
    const h = new ChannelHistory('k', { maxEvents: 100, maxGaps: 2 });
    for (let i = 0; i < 250; i += 1) {
      h.add(sampleEvent());
      if (i % 37 === 0) expect(h.size).toBe(Math.min(i + 1, 100));
    }
    expect(h.size).toBe(100);
    expect(h.events).toHaveLength(100);
    expect(h.size).toBe(100);
  });

  it('records disconnection windows, one open at a time, bounded', () => {
    const h = new ChannelHistory('k', { maxEvents: 10, maxGaps: 2 });
    expect(h.openGap(100, 'server down')).toMatchObject({ from: 100, reason: 'server down' });
    expect(h.openGap(150, 'again')).toBeUndefined();
    expect(h.openGapSince).toBe(100);
    expect(h.closeGap(200)).toMatchObject({ from: 100, to: 200 });
    expect(h.closeGap(300)).toBeUndefined();
    h.openGap(400, 'x');
    h.closeGap(500);
    h.openGap(600, 'y');
    expect(h.gaps.map((g) => g.from)).toEqual([400, 600]);
  });

  it('merges a stored snapshot under live events without duplicates and closes stale gaps', () => {
    const stored = new ChannelHistory('k');
    const old = sampleEvent();
    const both = sampleEvent();
    stored.add(old);
    stored.add(both);
    stored.markRead([old.id]);
    stored.openGap(1, 'quit');
    const live = new ChannelHistory('k');
    const fresh = sampleEvent();
    live.add(both);
    live.add(fresh);
    live.restore(stored.snapshot());
    expect(live.events.map((e) => e.id)).toEqual([old.id, both.id, fresh.id]);
    expect(live.isUnread(old.id)).toBe(false);
    expect(live.isUnread(fresh.id)).toBe(true);
    expect(live.gaps).toEqual([expect.objectContaining({ from: 1, to: 1 })]);
  });

  it('keeps its unread count exact through reads, trims, restores and snapshots', () => {
    const h = new ChannelHistory('k', { maxEvents: 4, maxGaps: 2 });
    const events = Array.from({ length: 6 }, () => sampleEvent());
    for (const e of events.slice(0, 3)) h.add(e);
    h.markRead([events[0]?.id ?? '', events[0]?.id ?? '']);
    expect(h.unreadCount).toBe(2);
    // The read one and an unread one are trimmed away.
    for (const e of events.slice(3)) h.add(e);
    expect(h.unreadCount).toBe(4);
    h.markRead([events[3]?.id ?? '']);
    const copy = new ChannelHistory('k', { maxEvents: 4, maxGaps: 2 });
    copy.restore(h.snapshot());
    expect(h.snapshot().unread).toEqual([events[2], events[4], events[5]].map((e) => e?.id));
    expect(copy.unreadCount).toBe(3);
    expect(copy.isUnread(events[3]?.id ?? '')).toBe(false);
    expect(copy.markAllRead()).toBe(3);
    expect(copy.markAllRead()).toBe(0);
    expect(copy.snapshot().unread).toEqual([]);
  });
});
