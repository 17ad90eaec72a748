// `annotray doctor`: diagnoses one channel's stream URL step by step (settings, DNS, TCP, TLS,
// authentication, redirects, headers, status, content type, body, buffering) and says what to
// fix on the server or proxy. It stops at the first step that makes the later ones pointless,
// bounds every step by a timeout, honours the caller's AbortSignal and never prints a token.

import { type AuthConfig, configuredToken } from '../connection/auth.ts';
import { DEFAULT_EVENTS_PATH } from '../connection/endpoint.ts';
import { authenticate } from './auth-checks.ts';
import {
  CHECK_ORDER,
  type DoctorCheck,
  type DoctorReport,
  makeReport,
  skippedCheck,
} from './doctor-report.ts';
import type { ExchangeContext, ExchangeOutcome } from './exchange-outcome.ts';
import { idleCheck } from './idle-checks.ts';
import {
  dnsCheck,
  failureOf,
  type TcpAttempt,
  type TlsOutcome,
  tcpCheck,
  tlsCheck,
} from './network-checks.ts';
import { connectTcp, exchange, handshakeTls, resolveHost } from './probe.ts';
import { redactCheck } from './redact-secrets.ts';
import { redirectsCheck } from './redirect-checks.ts';
import { contentTypeCheck, headersCheck, statusCheck } from './response-checks.ts';
import { checkSettings, isLoopback } from './settings-checks.ts';
import { bodyCheck, bufferingCheck } from './stream-checks.ts';

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
/** How many of a name's addresses are tried before TCP gives up. */
const MAX_ADDRESSES = 4;
const USER_AGENT = 'annotray-doctor';

function complete(checks: DoctorCheck[]): DoctorCheck[] {
  return CHECK_ORDER.map((id) => checks.find((check) => check.id === id) ?? skippedCheck(id));
}

/** Runs every check against one channel's stream; resolves with the report, even when checks fail. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { signal } = options;
  const now = options.now ?? Date.now;
  signal?.throwIfAborted();
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const auth: AuthConfig = options.auth ?? { scheme: 'none' };
  const eventsPath = options.eventsPath ?? DEFAULT_EVENTS_PATH;
  const token = configuredToken(auth);
  const secrets: string[] = token === undefined ? [] : [token];
  const checks: DoctorCheck[] = [];
  const report = (url: string): DoctorReport =>
    makeReport(
      url,
      complete(checks).map((check) => redactCheck(check, secrets)),
    );

  const settings = checkSettings(options, eventsPath, auth, waitMs);
  checks.push(settings.check);
  if (!settings.url || !settings.server) return report(options.server.trim());
  const { url, server } = settings;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);

  const dns = await resolveHost(host, waitMs, signal);
  checks.push(dnsCheck(host, dns));
  if (dns.kind === 'failed') return report(url.href);

  const attempts: TcpAttempt[] = [];
  for (const address of dns.kind === 'literal' ? [dns.address] : dns.addresses.slice(0, MAX_ADDRESSES)) {
    const attempt = await connectTcp(address, port, waitMs, signal);
    attempts.push(attempt);
    if (attempt.connected) break;
  }
  checks.push(tcpCheck(host, port, attempts));
  const reachable = attempts.find((attempt) => attempt.connected);
  if (!reachable) return report(url.href);

  const tls: TlsOutcome =
    url.protocol === 'https:'
      ? await handshakeTls(reachable.address, host, port, waitMs, signal)
      : { kind: 'not-https', exposesToken: auth.scheme !== 'none' && !isLoopback(host) };
  const tlsResult = tlsCheck(host, tls, now());
  checks.push(tlsResult);
  if (tlsResult.status === 'fail') return report(url.href);

  const authorization = await authenticate(server, auth, { waitMs, signal, now });
  checks.push(authorization.check);
  if (authorization.check.status === 'fail') return report(url.href);
  if (authorization.header) secrets.push(authorization.header.replace(/^\S+\s+/, ''));

  const { holdMs } = options;
  const context: ExchangeContext = {
    streamUrl: url.href,
    eventsPath,
    auth: auth.scheme,
    waitMs,
    ...(holdMs !== undefined ? { holdMs } : {}),
  };
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    'cache-control': 'no-cache',
    // What the engine's fetch sends too, so a proxy that compresses shows it here.
    'accept-encoding': 'gzip, deflate, br',
    'user-agent': USER_AGENT,
    ...(authorization.header ? { authorization: authorization.header } : {}),
  };
  let outcome: ExchangeOutcome;
  try {
    outcome = await exchange(url, {
      headers,
      waitMs,
      settleMs: Math.min(500, waitMs),
      ...(holdMs !== undefined ? { holdMs } : {}),
      signal,
    });
  } catch (error) {
    signal?.throwIfAborted();
    // Not a network failure (those are outcomes): an invalid header value or a bug. Say so.
    outcome = {
      kind: 'failed',
      hops: [],
      url: url.href,
      phase: 'request',
      failure: failureOf(error),
      elapsedMs: 0,
    };
  }
  checks.push(
    redirectsCheck(outcome, context),
    headersCheck(outcome, context),
    statusCheck(outcome, context),
    contentTypeCheck(outcome, context),
    bodyCheck(outcome, context),
    bufferingCheck(outcome, context),
    idleCheck(outcome, context),
  );
  return report(url.href);
}
