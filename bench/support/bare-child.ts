// A child process running the baseline of the overhead benchmark: a bare EventSource from the
// `eventsource` package (the same parser the engine builds on) that only counts messages.

import { EventSource } from 'eventsource';
import { EventCounter, probeHandlers } from './child-probes.ts';
import { serve } from './child-rpc.ts';

const counter = new EventCounter();
let source: EventSource | undefined;
let bytes = 0;

serve({
  ...probeHandlers(counter),

  start({ url, timeoutMs }: { url: string; timeoutMs: number }): Promise<null> {
    if (source) throw new Error('the client is already started');
    const es = new EventSource(url);
    source = es;
    es.onmessage = (event) => {
      // Touch the data, as any consumer would; nothing more.
      bytes += event.data.length;
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

  stop(): null {
    source?.close();
    source = undefined;
    return null;
  },
});
