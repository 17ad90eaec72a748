// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { event, gap, NOW } from '../test-support/fake-bridge.ts';
import { applyReadState, inScope, mergeEvents, upsertGap } from './event-collection.ts';

describe('mergeEvents', () => {
  it('puts live events on top, newest first, without re-sorting the rest', () => {
    const held = [event({ id: 'b', time: NOW - 2_000 }), event({ id: 'a', time: NOW - 3_000 })];
    const merged = mergeEvents(held, [event({ id: 'c', time: NOW - 1_000 }), event({ id: 'd', time: NOW })]);
    expect(merged.map((e) => e.id)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('sorts an older event into place and breaks time ties by arrival', () => {
    const held = [event({ id: 'new', time: NOW }), event({ id: 'old', time: NOW - 10_000 })];
    const late = event({ id: 'mid', time: NOW - 5_000 });
    expect(mergeEvents(held, [late]).map((e) => e.id)).toEqual(['new', 'mid', 'old']);
    const tie = mergeEvents(
      [event({ id: 'first', time: NOW, receivedAt: NOW })],
      [event({ id: 'second', time: NOW, receivedAt: NOW + 1 })],
    );
    expect(tie.map((e) => e.id)).toEqual(['second', 'first']);
  });

  it('skips ids it holds (a push repeating a list answer) and returns the same array when nothing is new', () => {
    const held = [event({ id: 'x', time: NOW })];
    expect(mergeEvents(held, [event({ id: 'x', time: NOW, title: 'changed' })])).toBe(held);
    expect(mergeEvents(held, [])).toBe(held);
    const twice = mergeEvents([], [event({ id: 'y' }), event({ id: 'y' })]);
    expect(twice).toHaveLength(1);
  });

  it('keeps at most the newest `limit` events', () => {
    const held = Array.from({ length: 5 }, (_, i) => event({ id: `h${i}`, time: NOW - (i + 1) * 1_000 }));
    const merged = mergeEvents(held, [event({ id: 'top', time: NOW })], 3);
    expect(merged.map((e) => e.id)).toEqual(['top', 'h0', 'h1']);
  });
});

describe('applyReadState', () => {
  const events = [
    event({ id: 'a', channelKey: 'ls/one' }),
    event({ id: 'b', channelKey: 'ls/one' }),
    event({ id: 'c', channelKey: 'ls/two' }),
  ];
  const unread = (list: readonly { id: string; unread: boolean }[]) =>
    list.filter((e) => e.unread).map((e) => e.id);

  it('marks the listed events of a channel read', () => {
    expect(unread(applyReadState(events, { channelKey: 'ls/one', eventIds: ['a'] }))).toEqual(['b', 'c']);
  });

  it('marks a whole channel, or every channel, read', () => {
    expect(unread(applyReadState(events, { channelKey: 'ls/one', eventIds: null }))).toEqual(['c']);
    expect(unread(applyReadState(events, { channelKey: null, eventIds: null }))).toEqual([]);
  });

  it('returns the same array when nothing changed', () => {
    expect(applyReadState(events, { channelKey: 'ls/three', eventIds: null })).toBe(events);
  });
});

describe('gaps and scope', () => {
  it('replaces a gap by id when it closes, newest first', () => {
    const opened = gap({ id: 'g2', from: NOW - 1_000, to: undefined });
    const gaps = upsertGap([gap({ id: 'g1', from: NOW - 50_000 })], opened);
    expect(gaps.map((g) => g.id)).toEqual(['g2', 'g1']);
    const closed = upsertGap(gaps, { ...opened, to: NOW });
    expect(closed).toHaveLength(2);
    expect(closed[0]?.to).toBe(NOW);
  });

  it('shows every channel in the null scope and one channel otherwise', () => {
    expect(inScope(null, 'ls/a')).toBe(true);
    expect(inScope('ls/a', 'ls/a')).toBe(true);
    expect(inScope('ls/a', 'ls/b')).toBe(false);
  });
});
