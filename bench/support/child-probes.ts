// What every benchmark child can report about itself, whichever client it runs: how many
// events it received and when, CPU time and wall time since a mark, and its heap (after a
// full GC when asked, which needs --expose-gc; startChild passes it).

import { nowUs } from './stamp.ts';

export interface Mark {
  readonly count: number;
  readonly atUs: number;
  readonly cpu: NodeJS.CpuUsage;
}

export interface Progress {
  readonly count: number;
  readonly atUs: number;
  /** Since the last mark. */
  readonly events: number;
  readonly cpuUs: number;
  readonly wallUs: number;
  readonly timedOut: boolean;
}

export interface MemoryFigures {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface HeapPeak {
  readonly heapUsed: number;
  readonly rss: number;
  readonly samples: number;
}

/** Counts received events and wakes whoever waits for a count, without polling. */
export class EventCounter {
  count = 0;
  atUs = 0;
  #mark: Mark = { count: 0, atUs: nowUs(), cpu: process.cpuUsage() };
  readonly #waiters = new Set<{ target: number; wake: () => void }>();

  add(): void {
    this.count += 1;
    this.atUs = nowUs();
    if (this.#waiters.size === 0) return;
    for (const waiter of this.#waiters) if (this.count >= waiter.target) waiter.wake();
  }

  mark(): Mark {
    this.#mark = { count: this.count, atUs: nowUs(), cpu: process.cpuUsage() };
    return this.#mark;
  }

  progress(timedOut = false): Progress {
    const cpu = process.cpuUsage(this.#mark.cpu);
    return {
      count: this.count,
      atUs: this.atUs,
      events: this.count - this.#mark.count,
      cpuUs: cpu.user + cpu.system,
      wallUs: nowUs() - this.#mark.atUs,
      timedOut,
    };
  }

  /** Resolves when `target` events have arrived in all (or at the timeout, with `timedOut`). */
  waitFor(target: number, timeoutMs: number): Promise<Progress> {
    if (this.count >= target) return Promise.resolve(this.progress());
    return new Promise((resolve) => {
      const waiter = {
        target,
        wake: () => {
          // Measured at the moment the last event arrived, before anything else runs.
          const progress = this.progress();
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(progress);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(this.progress(true));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

export function memoryFigures(collect: boolean): MemoryFigures {
  if (collect) {
    if (!globalThis.gc) throw new Error('run with --expose-gc to measure settled memory');
    // Twice: the first pass can leave objects that only the second finds unreachable (weak refs, finalizers).
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    rss: m.rss,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

/** Calls every child answers, whatever client it runs. */
export function probeHandlers(counter: EventCounter) {
  let sampler: ReturnType<typeof setInterval> | undefined;
  let peak = { heapUsed: 0, rss: 0, samples: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak = {
      heapUsed: Math.max(peak.heapUsed, m.heapUsed),
      rss: Math.max(peak.rss, m.rss),
      samples: peak.samples + 1,
    };
  };
  return {
    mark: (): Mark => counter.mark(),
    progress: (): Progress => counter.progress(),
    waitEvents: ({ count, timeoutMs }: { count: number; timeoutMs: number }): Promise<Progress> =>
      counter.waitFor(count, timeoutMs),
    memory: ({ gc }: { gc: boolean }): MemoryFigures => memoryFigures(gc),
    startHeapSampler: ({ everyMs }: { everyMs: number }): null => {
      clearInterval(sampler);
      peak = { heapUsed: 0, rss: 0, samples: 0 };
      sample();
      sampler = setInterval(sample, everyMs);
      return null;
    },
    stopHeapSampler: (): HeapPeak => {
      clearInterval(sampler);
      sampler = undefined;
      sample();
      return peak;
    },
  };
}
