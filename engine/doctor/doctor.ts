// `annotray doctor`: diagnoses one channel's stream URL step by step (settings, DNS, TCP, TLS,
// authentication, redirects, headers, status, content type, body, buffering) and says what to
// fix on the server or proxy. It stops at the first step that makes the later ones pointless,
// bounds every step by a timeout, honours the caller's AbortSignal and never prints a token.
// The steps are declared in doctor-steps.ts and walked by step-runner.ts.

import type { AuthConfig } from '../connection/auth.ts';
import { DEFAULT_EVENTS_PATH } from '../connection/endpoint.ts';
import type { DoctorReport } from './doctor-report.ts';
import { DOCTOR_STEPS } from './doctor-steps.ts';

export type { DoctorReport } from './doctor-report.ts';
export { formatDoctorReport } from './doctor-report.ts';

export interface DoctorOptions {
  server: string;
  channel: string;
  auth?: AuthConfig;
  /** The events-path template; defaults to `/api/notifications/events/{channel}`. */
  eventsPath?: string;
  /** How long to wait for each step, and for headers and first bytes. Default 10000. */
  waitMs?: number;
  /**
   * `doctor --wait`: hold the stream open this long (headers included) to see whether a proxy
   * closes quiet streams. Without it the stream is watched for `waitMs` and a moment more.
   */
  holdMs?: number;
  /** Aborting rejects `runDoctor` with the signal's reason and closes every connection. */
  signal?: AbortSignal;
  /** The wall clock, to judge when a certificate or a JWT expires. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_WAIT_MS = 10_000;

/** Runs every check against one channel's stream; resolves with the report, even when checks fail. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  return DOCTOR_STEPS.run(
    {
      reportUrl: options.server.trim(),
      options,
      auth: options.auth ?? { scheme: 'none' },
      eventsPath: options.eventsPath ?? DEFAULT_EVENTS_PATH,
      waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
      now: options.now ?? Date.now,
    },
    options.signal,
  );
}
