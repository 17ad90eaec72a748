// The quality bars of PRODUCT.md §6, in one place so every benchmark holds its figures to the
// same words the product document uses.

import type { Target } from './figure.ts';

export const TARGETS = {
  latencyP99: { text: 'p99 < 20 ms', below: 20 },
  overheadRatio: { text: '≤ 1.5× bare eventsource', atMost: 1.5 },
  idleCpu: { text: '< 1 % of one core', below: 1 },
  idleHeap: { text: '< 30 MB', below: 30 },
  burstHistory: { text: 'every event (10,000)', atLeast: 10_000 },
  burstNotifications: { text: '≤ 3', atMost: 3 },
  /** "memory back to baseline after": with the history full, a second burst must not grow the heap. */
  burstHeapGrowth: { text: 'back to baseline (≤ 1.1×)', atMost: 1.1 },
  proxySubscribed: { text: '≥ 99 % of the time', atLeast: 99 },
  proxyResubscribe: { text: 'within 1 s of each cut', atMost: 1_000 },
  listFirstRender: { text: '< 200 ms', below: 200 },
  listLongestTask: { text: 'no task > 50 ms', atMost: 50 },
} as const satisfies Record<string, Target>;
