// Preloaded (node --import) into a process the benchmark spawns, such as `annotray watch`:
// on SIGUSR2 it collects garbage (when --expose-gc is on) and prints its heap to stderr as one
// `BENCH_HEAP {json}` line, so the parent can read the heap of a process it does not drive.

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const collected = typeof globalThis.gc === 'function';
  process.stderr.write(`BENCH_HEAP ${JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, collected })}\n`);
});
