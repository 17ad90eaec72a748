import { describe, expect, it } from 'vitest';
import { type StoredHistory, silentLogger } from '../ports.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import type { HistoryRecord, HistorySnapshot } from './channel-history.ts';
import { HistoryKeeper } from './history-keeper.ts';
import { HistoryReadError } from './history-read-error.ts';

function recordingStore(initial?: StoredHistory) {
  const calls: string[] = [];
  return {
    calls,
    store: {
      load: async () => initial,
      save: async (_k: string, s: HistorySnapshot) => {
        calls.push(`save ${s.events.length}`);
      },
      append: async (_k: string, r: readonly HistoryRecord[]) => {
        calls.push(`append ${r.length}`);
      },
    },
  };
}

async function settle(clock: FakeClock, keeper: HistoryKeeper) {
  await keeper.loaded();
  clock.advance(1_000);
  await keeper.flush();
}

describe('HistoryKeeper', () => {
  it('appends what changed, coalesced per save delay, instead of rewriting the history', async () => {
    const clock = new FakeClock();
    const { calls, store } = recordingStore();
    const keeper = new HistoryKeeper({
      store,
      clock,
      logger: silentLogger,
      limits: { maxEvents: 5, maxGaps: 5 },
    });
    const h = keeper.get('k');
    await keeper.loaded();
    for (let i = 0; i < 3; i += 1) {
      const e = sampleEvent();
      h.add(e);
      keeper.record('k', { t: 'event', event: e });
    }
    await settle(clock, keeper);
    expect(calls).toEqual(['append 3']);
  });

  it('saves the whole history after loading a stored one, and compacts once the journal outgrows the history', async () => {
    const clock = new FakeClock();
    const stored: HistorySnapshot = {
      version: 1,
      channelKey: 'k',
      events: [sampleEvent()],
      unread: [],
      gaps: [],
    };
    const { calls, store } = recordingStore(stored);
    const keeper = new HistoryKeeper({
      store,
      clock,
      logger: silentLogger,
      limits: { maxEvents: 4, maxGaps: 5 },
    });
    const h = keeper.get('k');
    await settle(clock, keeper);
    expect(calls).toEqual(['save 1']);
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 2; i += 1) {
        const e = sampleEvent();
        h.add(e);
        keeper.record('k', { t: 'event', event: e });
      }
      await settle(clock, keeper);
    }
    expect(calls).toEqual(['save 1', 'append 2', 'append 2', 'save 4']);
  });

  it('appends to a stored history read back with a short, whole journal, counting its lines toward the next compaction', async () => {
    const clock = new FakeClock();
    const stored: StoredHistory = {
      version: 1,
      channelKey: 'k',
      events: [sampleEvent()],
      unread: [],
      gaps: [],
      // A tenth of the bound below.
      journal: { lines: 4, unreadable: 0 },
    };
    const { calls, store } = recordingStore(stored);
    const keeper = new HistoryKeeper({
      store,
      clock,
      logger: silentLogger,
      limits: { maxEvents: 40, maxGaps: 5 },
    });
    const h = keeper.get('k');
    const add = (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const e = sampleEvent();
        h.add(e);
        keeper.record('k', { t: 'event', event: e });
      }
    };
    add(1);
    await settle(clock, keeper);
    expect(calls).toEqual(['append 1']);
    add(35);
    await settle(clock, keeper);
    add(1);
    await settle(clock, keeper);
    expect(calls).toEqual(['append 1', 'append 35', 'save 38']);
  });

  it.each([
    ['longer than a tenth of the bound', { lines: 5, unreadable: 0 }],
    ['with a torn line', { lines: 1, unreadable: 1 }],
  ])('saves a stored history whole once read back with a journal %s', async (_what, journal) => {
    const clock = new FakeClock();
    const { calls, store } = recordingStore({
      version: 1,
      channelKey: 'k',
      events: [sampleEvent()],
      unread: [],
      gaps: [],
      journal,
    });
    const keeper = new HistoryKeeper({
      store,
      clock,
      logger: silentLogger,
      limits: { maxEvents: 40, maxGaps: 5 },
    });
    keeper.get('k');
    await settle(clock, keeper);
    expect(calls).toEqual(['save 1']);
  });

  it('reads two histories at a time, in the order asked, a prioritized channel before the others still waiting', async () => {
    const reads: string[] = [];
    const finish = new Map<string, () => void>();
    const keeper = new HistoryKeeper({
      store: {
        load: (key) => {
          reads.push(key);
          return new Promise((resolve) => finish.set(key, () => resolve(undefined)));
        },
        save: async () => {},
      },
      clock: new FakeClock(),
      logger: silentLogger,
    });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) keeper.get(key);
    keeper.prioritize('e');
    keeper.prioritize('d');
    keeper.prioritize('a');
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toEqual(['a', 'b']);
    finish.get('b')?.();
    await keeper.loadedFor('b');
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toEqual(['a', 'b', 'e']);
    for (const key of ['a', 'e', 'd', 'c']) {
      finish.get(key)?.();
      await keeper.loadedFor(key);
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(reads).toEqual(['a', 'b', 'e', 'd', 'c', 'f']);
    finish.get('f')?.();
    await keeper.loaded();
  });

  it('folds a journal read back into a full save only once every history asked for is read', async () => {
    const clock = new FakeClock();
    const saves: string[] = [];
    let releaseB: () => void = () => {};
    const gateB = new Promise<void>((r) => {
      releaseB = r;
    });
    const stored = (channelKey: string): StoredHistory => ({
      version: 1,
      channelKey,
      events: [sampleEvent()],
      unread: [],
      gaps: [],
      journal: { lines: 1, unreadable: 1 },
    });
    const keeper = new HistoryKeeper({
      store: {
        load: async (key) => {
          if (key === 'b') await gateB;
          return stored(key);
        },
        save: async (key) => {
          saves.push(key);
        },
        append: async () => {},
      },
      clock,
      logger: silentLogger,
    });
    keeper.get('a');
    keeper.get('b');
    await keeper.loadedFor('a');
    clock.advance(1_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(saves).toEqual([]);
    releaseB();
    await keeper.loaded();
    clock.advance(1_000);
    await keeper.flush();
    expect(saves).toEqual(['a', 'b']);
  });

  it('falls back to a full save after a failed append', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    let fail = true;
    const keeper = new HistoryKeeper({
      store: {
        load: async () => undefined,
        save: async () => {
          calls.push('save');
        },
        append: async () => {
          calls.push('append');
          if (fail) throw new Error('disk full');
        },
      },
      clock,
      logger: silentLogger,
    });
    const h = keeper.get('k');
    const e = sampleEvent();
    h.add(e);
    keeper.record('k', { t: 'event', event: e });
    await settle(clock, keeper);
    fail = false;
    await settle(clock, keeper);
    expect(calls).toEqual(['append', 'save']);
  });

  it('never writes over a stored history it could not read, and says so once', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const problems: (string | undefined)[] = [];
    const keeper = new HistoryKeeper({
      store: {
        load: async () => {
          throw new HistoryReadError('permission denied reading /h/k.json', false);
        },
        save: async () => {
          calls.push('save');
        },
        append: async () => {
          calls.push('append');
        },
      },
      clock,
      logger: silentLogger,
      onProblem: (_key, problem) => problems.push(problem),
    });
    const h = keeper.get('k');
    for (let i = 0; i < 3; i += 1) {
      const e = sampleEvent({ id: `e${i}` });
      h.add(e);
      keeper.record('k', { t: 'event', event: e });
      await settle(clock, keeper);
    }
    expect(calls).toEqual([]);
    expect(h.events).toHaveLength(3);
    expect(problems).toHaveLength(1);
    expect(keeper.problem('k')).toMatch(
      /permission denied.*not saved, so the stored history is not overwritten/,
    );
  });

  it('writes a new history after one that was moved aside, and says it starts empty', async () => {
    const clock = new FakeClock();
    const { calls, store } = recordingStore();
    const keeper = new HistoryKeeper({
      store: {
        ...store,
        load: async () => {
          throw new HistoryReadError(
            'the stored history was unreadable; it was moved to k.json.corrupt-1',
            true,
          );
        },
      },
      clock,
      logger: silentLogger,
    });
    const h = keeper.get('k');
    const e = sampleEvent();
    h.add(e);
    keeper.record('k', { t: 'event', event: e });
    await settle(clock, keeper);
    expect(calls.length).toBeGreaterThan(0);
    expect(keeper.problem('k')).toMatch(/moved to k\.json\.corrupt-1; this channel's history starts empty/);
  });

  it('reports a store that keeps failing once, retries with a growing delay, and clears the report when a write works', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const errors: string[] = [];
    const problems: (string | undefined)[] = [];
    let fail = true;
    const keeper = new HistoryKeeper({
      store: {
        load: async () => undefined,
        save: async () => {
          attempts.push(clock.now());
          if (fail) throw new Error('ENOSPC: no space left on device');
        },
      },
      clock,
      logger: {
        log: (level, message) => {
          if (level === 'error') errors.push(message);
        },
      },
      onProblem: (_key, problem) => problems.push(problem),
    });
    await keeper.loaded();
    const h = keeper.get('k');
    const start = clock.now();
    // Events keep arriving every second for two minutes while the disk is full.
    for (let s = 0; s < 120; s += 1) {
      const e = sampleEvent({ id: `e${s}` });
      h.add(e);
      keeper.record('k', { t: 'event', event: e });
      clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(errors).toEqual(['could not write history']);
    expect(problems).toEqual([expect.stringMatching(/cannot be saved \(Error: ENOSPC.*retried/)]);
    // 1 s, then 2, 4, 8, 16, 32, 60 s apart: a handful of attempts, not 120.
    expect(attempts.length).toBeLessThanOrEqual(8);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect((attempts.at(-1) ?? 0) - start).toBeGreaterThan(60_000);
    fail = false;
    await keeper.flush();
    expect(problems.at(-1)).toBeUndefined();
    expect(problems).toHaveLength(2);
    expect(keeper.problem('k')).toBeUndefined();
  });
});
