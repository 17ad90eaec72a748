// A child process running the baselines of the overhead benchmark: a bare EventSource from
// the `eventsource` package (the same parser the engine builds on) that counts messages and,
// for the two floors, also does the first steps any consumer of the payload must do.
//   count      touches the data and counts: the baseline the bar is measured against;
//   parse      also JSON.parses each payload (the least a client that reads it does);
//   normalize  also runs the engine's normalizeFrame (parse, stable id, time), keeping nothing.

import { EventSource } from 'eventsource';
import { type FrameContext, normalizeFrame } from '../../engine/events/normalize.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { EventCounter, probeHandlers } from './child-probes.ts';
import { serve } from './child-rpc.ts';

export type BareWork = 'count' | 'parse' | 'normalize';

const counter = new EventCounter();
let source: EventSource | undefined;
let bytes = 0;
let normalized = 0;

function handlerFor(work: BareWork, url: string): (data: string) => void {
  if (work === 'count') {
    return (data) => {
      bytes += data.length;
    };
  }
  if (work === 'parse') {
    return (data) => {
      if (JSON.parse(data) !== null) bytes += data.length;
    };
  }
  const context: FrameContext & { receivedAt: number } = {
    serverId: 'bench',
    serverUrl: new URL(url).origin,
    channel: 'bench',
    channelKey: 'bench/bench',
    taskUrlTemplate: DEFAULT_TASK_URL,
    receivedAt: 0,
  };
  return (data) => {
    context.receivedAt = Date.now();
    if (normalizeFrame({ data }, context).ok) normalized += 1;
  };
}

serve({
  ...probeHandlers(counter),

  start({
    url,
    timeoutMs,
    work = 'count',
  }: {
    url: string;
    timeoutMs: number;
    work?: BareWork;
  }): Promise<null> {
    if (source) throw new Error('the client is already started');
    const handle = handlerFor(work, url);
    const es = new EventSource(url);
    source = es;
    es.onmessage = (event) => {
      // Touch the data, as any consumer would; then the work of this baseline.
      handle(event.data);
      counter.add();
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bare EventSource did not open within ${timeoutMs} ms`)),
        timeoutMs,
      );
      es.onopen = () => {
        clearTimeout(timer);
        resolve(null);
      };
    });
  },

  bytes: (): number => bytes,

  normalized: (): number => normalized,

  stop(): null {
    source?.close();
    source = undefined;
    return null;
  },
});
