// Turns what DNS, TCP and TLS did into checks a person can act on: the error codes Node
// reports (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, ...) become what they mean for the
// deployment and what to change. Pure: the probes in probe.ts gather the facts.

import { formatDuration } from '../format/duration.ts';
import type { DoctorCheck } from './doctor-report.ts';

/** A failure of a network step: the Node error code (or `TIMEOUT`) and its message. */
export interface NetworkFailure {
  code: string;
  message: string;
}

export function failureOf(error: unknown): NetworkFailure {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : error.name, message: error.message };
  }
  return { code: 'UNKNOWN', message: String(error) };
}

// --- DNS -------------------------------------------------------------------------------------

export type DnsOutcome =
  | { kind: 'literal'; address: string }
  | { kind: 'resolved'; addresses: string[]; elapsedMs: number }
  | { kind: 'failed'; failure: NetworkFailure; elapsedMs: number };

export function dnsCheck(host: string, outcome: DnsOutcome): DoctorCheck {
  switch (outcome.kind) {
    case 'literal':
      return {
        id: 'dns',
        status: 'ok',
        title: `DNS: ${outcome.address} is an IP address, nothing to resolve`,
        detail: '',
      };
    case 'resolved':
      return {
        id: 'dns',
        status: 'ok',
        title: `DNS: ${host} resolves to ${outcome.addresses.join(', ')}`,
        detail: `Resolved in ${formatDuration(outcome.elapsedMs)}.`,
      };
    case 'failed':
      return { id: 'dns', status: 'fail', ...dnsFailure(host, outcome.failure, outcome.elapsedMs) };
  }
}

function dnsFailure(
  host: string,
  failure: NetworkFailure,
  elapsedMs: number,
): Omit<DoctorCheck, 'id' | 'status'> {
  switch (failure.code) {
    case 'ENOTFOUND':
    case 'ENODATA':
      return {
        title: `DNS: the name ${host} does not exist`,
        detail: `The DNS lookup of ${host} found no address (${failure.code}).`,
        fix: `Check the spelling of the server URL. If ${host} is only known inside your company network, connect the VPN first.`,
      };
    case 'EAI_AGAIN':
    case 'ESERVFAIL':
    case 'ECONNREFUSED':
      return {
        title: `DNS: no DNS server answered for ${host}`,
        detail: `The lookup failed temporarily (${failure.code}): this machine is offline or its DNS server is unreachable.`,
        fix: 'Check the network connection (and the VPN, if the server is internal), then run doctor again.',
      };
    case 'TIMEOUT':
      return {
        title: `DNS: no answer for ${host} within ${formatDuration(elapsedMs)}`,
        detail: 'The DNS lookup did not finish in time: the DNS server is slow or unreachable.',
        fix: 'Check the network connection and the DNS settings (and the VPN, if the server is internal).',
      };
    default:
      return {
        title: `DNS: looking up ${host} failed (${failure.code})`,
        detail: failure.message,
        fix: 'Check the server URL and the network connection.',
      };
  }
}

// --- TCP -------------------------------------------------------------------------------------

export type TcpAttempt =
  | { address: string; connected: true; elapsedMs: number }
  | { address: string; connected: false; failure: NetworkFailure; elapsedMs: number };

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function tcpFailureLine(attempt: TcpAttempt & { connected: false }, port: number): string {
  const where = endpoint(attempt.address, port);
  switch (attempt.failure.code) {
    case 'ECONNREFUSED':
      return `${where}: connection refused: nothing listens on port ${port} there.`;
    case 'TIMEOUT':
    case 'ETIMEDOUT':
      return `${where}: no answer within ${formatDuration(attempt.elapsedMs)}: the packets are dropped (firewall, host down, or a VPN is needed).`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where}: no route to the host (${attempt.failure.code}).`;
    case 'ECONNRESET':
      return `${where}: the connection was reset at once (a firewall or the server rejects it).`;
    default:
      return `${where}: ${attempt.failure.code}: ${attempt.failure.message}`;
  }
}

/** One check from the connection attempts to each address, in the order they were tried. */
export function tcpCheck(host: string, port: number, attempts: TcpAttempt[]): DoctorCheck {
  const success = attempts.find((attempt) => attempt.connected);
  const failures = attempts.filter(
    (attempt): attempt is TcpAttempt & { connected: false } => !attempt.connected,
  );
  if (success) {
    return {
      id: 'tcp',
      status: 'ok',
      title: `TCP: connected to ${endpoint(success.address, port)} in ${formatDuration(success.elapsedMs)}`,
      detail: failures.map((attempt) => `Before that: ${tcpFailureLine(attempt, port)}`).join('\n'),
    };
  }
  const codes = new Set(failures.map((attempt) => attempt.failure.code));
  const detail = failures.map((attempt) => tcpFailureLine(attempt, port)).join('\n');
  if (codes.size === 1 && codes.has('ECONNREFUSED')) {
    return {
      id: 'tcp',
      status: 'fail',
      title: `TCP: connection refused by ${host}:${port}`,
      detail: `${detail}\nThe host is up but no program accepts connections on that port.`,
      fix: `Start the server (or the proxy in front of it), or correct the port in the server URL (https defaults to 443, http to 80).`,
    };
  }
  if ([...codes].every((code) => code === 'TIMEOUT' || code === 'ETIMEDOUT')) {
    return {
      id: 'tcp',
      status: 'fail',
      title: `TCP: ${host}:${port} did not answer`,
      detail,
      fix: 'A firewall drops the connection, the host is down, or it is only reachable through a VPN: check with the server admin.',
    };
  }
  return {
    id: 'tcp',
    status: 'fail',
    title: `TCP: could not connect to ${host}:${port}`,
    detail,
    fix: 'Check the network connection, the VPN and the port in the server URL.',
  };
}

// --- TLS -------------------------------------------------------------------------------------

/** What the probe learnt about the server's certificate (any of it may be missing). */
export interface CertificateFacts {
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  altNames?: string[];
}

export type TlsOutcome =
  /** `exposesToken`: a token would cross a network (not loopback) unencrypted. */
  | { kind: 'not-https'; exposesToken: boolean }
  | {
      kind: 'handshake';
      protocol: string | undefined;
      certificate: CertificateFacts;
      /** Node's authorizationError code, undefined when the certificate is trusted. */
      error: string | undefined;
      elapsedMs: number;
    }
  | { kind: 'failed'; failure: NetworkFailure; elapsedMs: number };

const TRUST_FIX =
  'If the certificate comes from your company CA, trust that CA: install it in the operating system (the desktop app) ' +
  'and point NODE_EXTRA_CA_CERTS at its PEM file (the CLI). Otherwise give the server a certificate from a public CA.';

function describeCertificate(certificate: CertificateFacts): string {
  const parts = [
    certificate.subject ? `issued to ${certificate.subject}` : '',
    certificate.issuer ? `by ${certificate.issuer}` : '',
    certificate.validTo ? `valid until ${certificate.validTo}` : '',
    certificate.altNames?.length ? `for ${certificate.altNames.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `The certificate is ${parts.join(', ')}.` : '';
}

function certificateError(
  code: string,
  host: string,
  certificate: CertificateFacts,
): Omit<DoctorCheck, 'id' | 'status' | 'detail'> {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return {
        title: `TLS: the server's certificate has expired${certificate.validTo ? ` (on ${certificate.validTo})` : ''}`,
        fix: 'Renew the certificate on the server or proxy (for Let’s Encrypt: check that certbot’s renewal runs).',
      };
    case 'CERT_NOT_YET_VALID':
      return {
        title: `TLS: the server's certificate is not valid yet${certificate.validFrom ? ` (from ${certificate.validFrom})` : ''}`,
        fix: "Check this computer's clock and time zone; if the clock is right, the certificate was issued wrongly.",
      };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        title: `TLS: the certificate is not for ${host}`,
        fix: `Use the host name the certificate was issued for in the server URL${
          certificate.altNames?.[0] ? ` (e.g. ${certificate.altNames[0]})` : ''
        }, or add ${host} to the certificate.`,
      };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return { title: 'TLS: the server uses a self-signed certificate', fix: TRUST_FIX };
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { title: 'TLS: the certificate comes from a CA this computer does not trust', fix: TRUST_FIX };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return {
        title: 'TLS: the server does not send its intermediate certificates',
        fix:
          'Configure the full certificate chain on the server or proxy (nginx: ssl_certificate must point at ' +
          'fullchain.pem, not cert.pem). Browsers often hide this problem; other clients do not.',
      };
    case 'CERT_REVOKED':
      return {
        title: 'TLS: the certificate has been revoked',
        fix: 'Install a new certificate on the server.',
      };
    default:
      return { title: `TLS: the certificate is not trusted (${code})`, fix: TRUST_FIX };
  }
}

function tlsHandshakeFailure(failure: NetworkFailure, elapsedMs: number): Omit<DoctorCheck, 'id' | 'status'> {
  const message = failure.message.toLowerCase();
  if (
    message.includes('wrong version number') ||
    message.includes('packet length too long') ||
    message.includes('http request')
  ) {
    return {
      title: 'TLS: the port does not speak TLS',
      detail: `The handshake failed (${failure.message}): the server answers plain HTTP on this port.`,
      fix: 'Use http:// instead of https:// in the server URL, or the port where the server serves HTTPS.',
    };
  }
  if (failure.code === 'TIMEOUT') {
    return {
      title: `TLS: no handshake within ${formatDuration(elapsedMs)}`,
      detail: 'TCP connected, but the server did not complete the TLS handshake.',
      fix: 'Check that the port serves HTTPS and that no firewall inspects or blocks TLS.',
    };
  }
  if (failure.code === 'ECONNRESET') {
    return {
      title: 'TLS: the server closed the connection during the handshake',
      detail: failure.message,
      fix: 'The server may not serve this host name (SNI) or supports only old TLS versions; check its TLS configuration.',
    };
  }
  return {
    title: `TLS: the handshake failed (${failure.code})`,
    detail: failure.message,
    fix: 'Check the TLS configuration of the server or proxy.',
  };
}

const EXPIRY_WARNING_DAYS = 14;

export function tlsCheck(host: string, outcome: TlsOutcome, now: number): DoctorCheck {
  switch (outcome.kind) {
    case 'not-https':
      if (outcome.exposesToken) {
        return {
          id: 'tls',
          status: 'warn',
          title: 'TLS: not used: the token travels unencrypted',
          detail: `The server URL uses http:// and ${host} is not this computer: anyone on the network path can read the token.`,
          fix: 'Serve Label Studio over HTTPS (a TLS-terminating proxy is enough) and use https:// in the server URL.',
        };
      }
      return {
        id: 'tls',
        status: 'skip',
        title: 'TLS: not used (plain http)',
        detail: 'The server URL uses http://, so nothing is encrypted.',
      };
    case 'failed':
      return { id: 'tls', status: 'fail', ...tlsHandshakeFailure(outcome.failure, outcome.elapsedMs) };
    case 'handshake': {
      const about = describeCertificate(outcome.certificate);
      if (outcome.error) {
        return {
          id: 'tls',
          status: 'fail',
          ...certificateError(outcome.error, host, outcome.certificate),
          detail: [`The certificate check failed with ${outcome.error}.`, about].filter(Boolean).join(' '),
        };
      }
      const validTo = outcome.certificate.validTo ? Date.parse(outcome.certificate.validTo) : Number.NaN;
      const daysLeft = (validTo - now) / 86_400_000;
      const base =
        `${outcome.protocol ?? 'TLS'} handshake in ${formatDuration(outcome.elapsedMs)}. ${about}`.trim();
      if (daysLeft < EXPIRY_WARNING_DAYS) {
        return {
          id: 'tls',
          status: 'warn',
          title: `TLS: the certificate expires in ${Math.max(0, Math.floor(daysLeft))} days`,
          detail: base,
          fix: 'Renew the certificate before it expires: then every client stops connecting.',
        };
      }
      return {
        id: 'tls',
        status: 'ok',
        title: `TLS: trusted certificate (${outcome.protocol ?? 'TLS'})`,
        detail: base,
      };
    }
  }
}
