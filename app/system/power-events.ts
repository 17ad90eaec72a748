// The OS's power events → AppCore. Sleep opens a gap (connections freeze without failing);
// waking up and unlocking the screen (often the first sign of a resume on Linux) replace every
// connection at once instead of waiting for a backoff timer or a dead socket to time out.

import type { Logger } from '../../engine/ports.ts';

/** The part of Electron's powerMonitor used here. */
export interface PowerMonitorLike {
  on(event: 'suspend' | 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'suspend' | 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export interface PowerTarget {
  suspend(reason: string): void;
  resume(reason: string): number;
}

export const SLEEP_REASON = 'the computer was asleep: events sent meanwhile were not received';

export function watchPowerEvents(power: PowerMonitorLike, target: PowerTarget, logger: Logger): () => void {
  const handlers = {
    suspend: () => {
      logger.log('info', 'the system is going to sleep');
      target.suspend(SLEEP_REASON);
    },
    resume: () => {
      logger.log('info', 'the system woke up');
      target.resume('the computer woke up');
    },
    'unlock-screen': () => target.resume('the screen was unlocked'),
  } as const;
  for (const [event, handler] of Object.entries(handlers)) power.on(event as keyof typeof handlers, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers))
      power.removeListener(event as keyof typeof handlers, handler);
  };
}
