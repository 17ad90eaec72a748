import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import type { HistoryRecord, HistorySnapshot } from './channel-history.ts';
import { HistoryKeeper } from './history-keeper.ts';

function recordingStore(initial?: HistorySnapshot) {
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
});
