import { describe, expect, it } from 'vitest';
import type { EventDto } from '../contract/dto.ts';
import { FakeClock } from '../engine/testing/fake-clock.ts';
import { PUSH_INTERVAL_MS, PushBatcher } from './push-batcher.ts';

describe('PushBatcher', () => {
  it('sends a burst as one batch and the channel list once, then nothing until something changes', () => {
    const clock = new FakeClock();
    const batches: number[] = [];
    let channelPushes = 0;
    const pushes = new PushBatcher({
      clock,
      pushEvents: (batch) => batches.push(batch.length),
      pushChannels: () => {
        channelPushes += 1;
      },
    });
    for (let i = 0; i < 1_000; i += 1) pushes.event({ id: `e${i}` } as EventDto);
    expect(batches).toEqual([]);
    clock.advance(PUSH_INTERVAL_MS);
    expect(batches).toEqual([1_000]);
    expect(channelPushes).toBe(1);
    clock.advance(10 * PUSH_INTERVAL_MS);
    pushes.channelsChanged();
    clock.advance(PUSH_INTERVAL_MS);
    expect(batches).toEqual([1_000]);
    expect(channelPushes).toBe(2);
    pushes.event({ id: 'late' } as EventDto);
    pushes.stop();
    clock.advance(PUSH_INTERVAL_MS);
    expect(batches).toEqual([1_000]);
  });
});
