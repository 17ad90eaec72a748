// A child process that feeds frames straight into the Engine through the fake subscription
// the unit tests use: no sockets, no HTTP, no SSE parsing. What it costs per frame is the
// engine's own work (normalize, dedupe, history, policy, emitting), which the overhead
// benchmark reports beside the networked figures to show where the time goes.

import { Engine } from '../../engine/engine.ts';
import { normalizeFrame } from '../../engine/events/normalize.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { fakeSubscriptions } from '../../engine/testing/fake-subscription.ts';
import { naiveIsoNow, ocrContext } from './bench-server.ts';
import { memoryFigures } from './child-probes.ts';
import { serve } from './child-rpc.ts';

export interface PipelineCost {
  /** CPU per frame through the whole engine, µs. */
  readonly engineUs: number;
  /** CPU per frame of normalizeFrame alone, µs. */
  readonly normalizeUs: number;
  /** CPU per frame of JSON.parse alone, µs. */
  readonly parseUs: number;
}

function frames(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ ...ocrContext(from + i), message_time: naiveIsoNow(), bench_sent_us: 0 }),
  );
}

function cpuPer(count: number, work: () => void): number {
  memoryFigures(true);
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

serve({
  run({ events, warmUp }: { events: number; warmUp: number }): PipelineCost {
    const subs = fakeSubscriptions();
    const engine = new Engine({
      servers: [{ id: 'bench', url: 'http://127.0.0.1:9', auth: { scheme: 'none' }, channels: ['pipeline'] }],
      notifier: { notify: () => {} },
      createSubscription: subs.factory,
    });
    let received = 0;
    engine.on('event', () => {
      received += 1;
    });
    engine.start();
    const sub = subs.last().open();
    for (const data of frames(0, warmUp)) sub.send(data);
    const measured = frames(warmUp, events);
    const engineUs = cpuPer(events, () => {
      for (const data of measured) sub.send(data);
    });
    if (received !== warmUp + events)
      throw new Error(`the engine took ${received} of ${warmUp + events} frames`);
    void engine.stop();

    const context = {
      serverId: 'bench',
      serverUrl: 'http://127.0.0.1:9',
      channel: 'pipeline',
      taskUrlTemplate: DEFAULT_TASK_URL,
      receivedAt: Date.now(),
    };
    const normalizeUs = cpuPer(events, () => {
      for (const data of measured) normalizeFrame({ data }, context);
    });
    const parseUs = cpuPer(events, () => {
      for (const data of measured) JSON.parse(data);
    });
    return { engineUs, normalizeUs, parseUs };
  },
});
