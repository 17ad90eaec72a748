// The doctor's steps in the order they run: settings, DNS, TCP, TLS, authentication, then the
// exchange with the stream URL, whose answer the redirect, header, status, content-type, body,
// buffering and idle checks judge. A step gathers its facts (probe.ts), hands them to its
// judgement (the *-checks.ts files), and says whether the later steps still make sense.

import { type AuthConfig, configuredToken } from '../connection/auth.ts';
import { authenticate } from './auth-checks.ts';
import type { DoctorOptions } from './doctor.ts';
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
import { checkSettings, isLoopback } from './settings-checks.ts';
import { type DoctorStep, type StepContext, StepList } from './step-runner.ts';
import { bodyCheck, bufferingCheck } from './stream-checks.ts';

/** How many of a name's addresses are tried before TCP gives up. */
const MAX_ADDRESSES = 4;
const USER_AGENT = 'annotray-doctor';

/** The options as given, with their defaults applied. */
export interface DoctorStart extends StepContext {
  readonly options: DoctorOptions;
  readonly auth: AuthConfig;
  readonly eventsPath: string;
  readonly waitMs: number;
  readonly now: () => number;
}

interface Settled extends DoctorStart {
  readonly server: URL;
  readonly url: URL;
  /** The URL's host without an IPv6 literal's brackets. */
  readonly host: string;
  readonly port: number;
}

interface Resolved extends Settled {
  readonly addresses: readonly string[];
}

interface Connected extends Resolved {
  /** The address that accepted the TCP connection. */
  readonly address: string;
}

interface Authorized extends Connected {
  /** The Authorization header to send, if any. */
  readonly authorization: string | undefined;
}

const settingsStep: DoctorStep<DoctorStart, Settled> = {
  name: 'settings',
  run(start) {
    const token = configuredToken(start.auth);
    const secrets = token === undefined ? [] : [token];
    const { check, url, server } = checkSettings(start.options, start.eventsPath, start.auth, start.waitMs);
    if (!url || !server) return { checks: [check], secrets, stop: 'the settings cannot be used' };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    return { checks: [check], secrets, next: { ...start, reportUrl: url.href, server, url, host, port } };
  },
};

const dnsStep: DoctorStep<Settled, Resolved> = {
  name: 'dns',
  async run(context, signal) {
    const dns = await resolveHost(context.host, context.waitMs, signal);
    const checks = [dnsCheck(context.host, dns)];
    switch (dns.kind) {
      case 'failed':
        return { checks, stop: `DNS could not resolve ${context.host}` };
      case 'literal':
        return { checks, next: { ...context, addresses: [dns.address] } };
      case 'resolved':
        return { checks, next: { ...context, addresses: dns.addresses.slice(0, MAX_ADDRESSES) } };
    }
  },
};

const tcpStep: DoctorStep<Resolved, Connected> = {
  name: 'tcp',
  async run(context, signal) {
    const attempts: TcpAttempt[] = [];
    for (const address of context.addresses) {
      const attempt = await connectTcp(address, context.port, context.waitMs, signal);
      attempts.push(attempt);
      if (attempt.connected) break;
    }
    const checks = [tcpCheck(context.host, context.port, attempts)];
    const reachable = attempts.find((attempt) => attempt.connected);
    if (!reachable) return { checks, stop: `no TCP connection to ${context.host}:${context.port}` };
    return { checks, next: { ...context, address: reachable.address } };
  },
};

const tlsStep: DoctorStep<Connected, Connected> = {
  name: 'tls',
  async run(context, signal) {
    const { url, host, port, auth } = context;
    const tls: TlsOutcome =
      url.protocol === 'https:'
        ? await handshakeTls(context.address, host, port, context.waitMs, signal)
        : { kind: 'not-https', exposesToken: auth.scheme !== 'none' && !isLoopback(host) };
    const check = tlsCheck(host, tls, context.now());
    if (check.status === 'fail') return { checks: [check], stop: `TLS with ${host} failed` };
    return { checks: [check], next: context };
  },
};

const authStep: DoctorStep<Connected, Authorized> = {
  name: 'auth',
  async run(context, signal) {
    const { check, header } = await authenticate(context.server, context.auth, {
      waitMs: context.waitMs,
      signal,
      now: context.now,
    });
    if (check.status === 'fail') return { checks: [check], stop: 'authentication failed' };
    return {
      checks: [check],
      // The header's credential, which for a PAT is the access token it was exchanged for.
      secrets: header ? [header.replace(/^\S+\s+/, '')] : [],
      next: { ...context, authorization: header },
    };
  },
};

const exchangeStep: DoctorStep<Authorized, Authorized> = {
  name: 'exchange',
  async run(context, signal) {
    const { url, waitMs, authorization } = context;
    const { holdMs } = context.options;
    const judging: ExchangeContext = {
      streamUrl: url.href,
      eventsPath: context.eventsPath,
      auth: context.auth.scheme,
      waitMs,
      ...(holdMs !== undefined ? { holdMs } : {}),
    };
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      // What the engine's fetch sends too, so a proxy that compresses shows it here.
      'accept-encoding': 'gzip, deflate, br',
      'user-agent': USER_AGENT,
      ...(authorization ? { authorization } : {}),
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
    return {
      checks: [
        redirectsCheck(outcome, judging),
        headersCheck(outcome, judging),
        statusCheck(outcome, judging),
        contentTypeCheck(outcome, judging),
        bodyCheck(outcome, judging),
        bufferingCheck(outcome, judging),
        idleCheck(outcome, judging),
      ],
      next: context,
    };
  },
};

export const DOCTOR_STEPS = StepList.startingWith(settingsStep)
  .followedBy(dnsStep)
  .followedBy(tcpStep)
  .followedBy(tlsStep)
  .followedBy(authStep)
  .followedBy(exchangeStep);
