// `annotray doctor`: diagnoses one channel's stream URL step by step (settings, DNS, TCP, TLS,
// authentication, redirects, headers, status, content type, body, buffering) and says what to
// fix on the server or proxy. It stops at the first step that makes the later ones pointless,
// bounds every step by a timeout, honours the caller's AbortSignal and never prints a token.

import {
  type AuthConfig,
  AuthError,
  Authorizer,
  DEFAULT_REFRESH_PATH,
  jwtPayload,
} from '../connection/auth.ts';
import {
  buildEventsUrl,
  DEFAULT_EVENTS_PATH,
  parseServerUrl,
  SettingsError,
} from '../connection/endpoint.ts';
import { formatDuration } from '../format/duration.ts';
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
import { redirectsCheck } from './redirect-checks.ts';
import { contentTypeCheck, headersCheck, statusCheck } from './response-checks.ts';
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
}

export const DEFAULT_WAIT_MS = 10_000;
/** How many of a name's addresses are tried before TCP gives up. */
const MAX_ADDRESSES = 4;
const USER_AGENT = 'annotray-doctor';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '::1';
}

/** Visible ASCII only: anything else cannot go into an HTTP header and is a paste accident. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

function describeAuth(auth: AuthConfig): string {
  switch (auth.scheme) {
    case 'none':
      return 'none';
    case 'token':
      return 'legacy API token';
    case 'bearer':
      return 'Bearer token';
    case 'pat':
      return 'Personal Access Token';
  }
}

function checkSettings(
  options: DoctorOptions,
  eventsPath: string,
  auth: AuthConfig,
  waitMs: number,
): { check: DoctorCheck; server?: URL; url?: URL } {
  const fail = (title: string, detail: string, fix: string): { check: DoctorCheck } => ({
    check: { id: 'settings', status: 'fail', title: `Settings: ${title}`, detail, fix },
  });
  let server: URL;
  let url: URL;
  try {
    server = parseServerUrl(options.server);
    url = buildEventsUrl(server, options.channel, eventsPath);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return fail(
      'invalid',
      error.message,
      `Correct the server URL (like https://label-studio.example.com), the channel (like user_42) or the events path (default ${DEFAULT_EVENTS_PATH}).`,
    );
  }
  const secret = auth.scheme === 'none' ? undefined : auth.scheme === 'pat' ? auth.refreshToken : auth.token;
  if (secret !== undefined && !HEADER_SAFE.test(secret)) {
    return fail(
      'the token cannot be sent',
      'The token contains spaces, line breaks or non-ASCII characters, which an HTTP header cannot carry.',
      'Copy the token again from Label Studio (Account & Settings) and paste only the token itself.',
    );
  }
  if (!Number.isFinite(waitMs) || waitMs <= 0) {
    return fail(
      'invalid wait time',
      `The wait time must be a positive number of milliseconds (got ${waitMs}).`,
      'Pass a positive wait time.',
    );
  }
  return {
    server,
    url,
    check: {
      id: 'settings',
      status: 'ok',
      title: 'Settings: the stream URL is valid',
      detail:
        `Stream URL: ${url.href}\nEvents path: ${eventsPath}${eventsPath === DEFAULT_EVENTS_PATH ? ' (default)' : ''}\n` +
        `Token: ${describeAuth(auth)}`,
    },
  };
}

/** When a JWT expires (epoch ms), read as the engine reads a token's kind. */
function jwtExpiry(token: string): number | undefined {
  const exp = jwtPayload(token)?.exp;
  return typeof exp === 'number' ? exp * 1_000 : undefined;
}

const PAT_FIX =
  'Create a new Personal Access Token in Label Studio (Account & Settings → Personal Access Token) and use it.';

async function authenticate(
  server: URL,
  auth: AuthConfig,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<{ check: DoctorCheck; header?: string }> {
  switch (auth.scheme) {
    case 'none':
      return {
        check: {
          id: 'auth',
          status: 'skip',
          title: 'Authentication: no token',
          detail:
            "The request is sent without a token. Label Studio's API needs one: a 401, a 403 or a login page below means it is missing.",
        },
      };
    case 'token':
      return {
        header: `Token ${auth.token}`,
        check: {
          id: 'auth',
          status: 'ok',
          title: 'Authentication: legacy API token (Authorization: Token …)',
          detail: '',
        },
      };
    case 'bearer': {
      const header = `Bearer ${auth.token}`;
      const expiry = jwtExpiry(auth.token);
      if (expiry === undefined) {
        return {
          header,
          check: { id: 'auth', status: 'ok', title: 'Authentication: Bearer token', detail: '' },
        };
      }
      const when = new Date(expiry).toISOString();
      const fix =
        'Give Annotray the Personal Access Token itself (the refresh token from Account & Settings): it exchanges it for ' +
        'short-lived access tokens on its own.';
      if (expiry <= Date.now()) {
        return {
          check: {
            id: 'auth',
            status: 'fail',
            title: `Authentication: the Bearer token expired at ${when}`,
            detail: 'The token is a JWT access token, and it has expired: the server will refuse it.',
            fix,
          },
        };
      }
      return {
        header,
        check: {
          id: 'auth',
          status: 'warn',
          title: `Authentication: a JWT access token that expires at ${when}`,
          detail:
            'Access tokens live for minutes; Annotray cannot renew one, so the stream fails once it expires.',
          fix,
        },
      };
    }
    case 'pat': {
      const step = AbortSignal.any([AbortSignal.timeout(waitMs), ...(signal ? [signal] : [])]);
      const authorizer = new Authorizer(server, auth, (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, step]) : step }),
      );
      const started = performance.now();
      try {
        const header = await authorizer.header();
        return {
          header,
          check: {
            id: 'auth',
            status: 'ok',
            title: `Authentication: exchanged the Personal Access Token for an access token in ${formatDuration(performance.now() - started)}`,
            detail: '',
          },
        };
      } catch (error) {
        signal?.throwIfAborted();
        return { check: patFailure(error, auth.refreshPath ?? DEFAULT_REFRESH_PATH, waitMs) };
      }
    }
  }
}

function patFailure(error: unknown, path: string, waitMs: number): DoctorCheck {
  const status = error instanceof AuthError ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401 || status === 403) {
    return {
      id: 'auth',
      status: 'fail',
      title: 'Authentication: the server refused the Personal Access Token',
      detail: message,
      fix: PAT_FIX,
    };
  }
  if (status === 404 || status === 405) {
    return {
      id: 'auth',
      status: 'fail',
      title: `Authentication: no token exchange at ${path}`,
      detail: `${message}. This Label Studio version may not support Personal Access Tokens.`,
      fix: 'Use the legacy API token from Account & Settings instead, or upgrade Label Studio.',
    };
  }
  const timedOut = /timeout|aborted/i.test(message);
  return {
    id: 'auth',
    status: 'fail',
    title: timedOut
      ? `Authentication: the token exchange did not answer within ${formatDuration(waitMs)}`
      : 'Authentication: exchanging the Personal Access Token failed',
    detail: message,
    fix: `Check that ${path} on the server answers (it exchanges the Personal Access Token for an access token); the server log says why it failed.`,
  };
}

function complete(checks: DoctorCheck[]): DoctorCheck[] {
  return CHECK_ORDER.map((id) => checks.find((check) => check.id === id) ?? skippedCheck(id));
}

function redact(check: DoctorCheck, secrets: readonly string[]): DoctorCheck {
  const clean = (text: string): string =>
    secrets.reduce(
      (result, secret) => (secret.length >= 4 ? result.split(secret).join('[token]') : result),
      text,
    );
  return {
    ...check,
    title: clean(check.title),
    detail: clean(check.detail),
    ...(check.fix === undefined ? {} : { fix: clean(check.fix) }),
  };
}

/** Runs every check against one channel's stream; resolves with the report, even when checks fail. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { signal } = options;
  signal?.throwIfAborted();
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const auth: AuthConfig = options.auth ?? { scheme: 'none' };
  const eventsPath = options.eventsPath ?? DEFAULT_EVENTS_PATH;
  const secrets: string[] = [];
  if (auth.scheme === 'pat') secrets.push(auth.refreshToken);
  else if (auth.scheme !== 'none') secrets.push(auth.token);
  const checks: DoctorCheck[] = [];
  const report = (url: string): DoctorReport =>
    makeReport(
      url,
      complete(checks).map((check) => redact(check, secrets)),
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
  const tlsResult = tlsCheck(host, tls, Date.now());
  checks.push(tlsResult);
  if (tlsResult.status === 'fail') return report(url.href);

  const authorization = await authenticate(server, auth, waitMs, signal);
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
