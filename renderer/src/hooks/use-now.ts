// The current time for views that show relative times and countdowns. One timer per period
// for the whole window, running only while some view listens.

import { useCallback, useSyncExternalStore } from 'react';

interface Ticker {
  now: number;
  readonly listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
}

const tickers = new Map<number, Ticker>();

function tickerFor(periodMs: number): Ticker {
  let ticker = tickers.get(periodMs);
  if (!ticker) {
    ticker = { now: Date.now(), listeners: new Set(), timer: undefined };
    tickers.set(periodMs, ticker);
  }
  return ticker;
}

export function useNow(periodMs: number): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      const ticker = tickerFor(periodMs);
      if (ticker.listeners.size === 0) {
        ticker.now = Date.now();
        ticker.timer = setInterval(() => {
          ticker.now = Date.now();
          for (const l of [...ticker.listeners]) l();
        }, periodMs);
      }
      ticker.listeners.add(listener);
      return () => {
        ticker.listeners.delete(listener);
        if (ticker.listeners.size === 0 && ticker.timer !== undefined) {
          clearInterval(ticker.timer);
          ticker.timer = undefined;
        }
      };
    },
    [periodMs],
  );
  const snapshot = useCallback(() => tickerFor(periodMs).now, [periodMs]);
  return useSyncExternalStore(subscribe, snapshot);
}
