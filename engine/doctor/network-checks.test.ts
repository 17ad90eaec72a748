import { describe, expect, it } from 'vitest';
import { formatDuration } from '../format/duration.ts';
import { dnsCheck, failureOf, tcpCheck, tlsCheck } from './network-checks.ts';

describe('seconds', () => {
  it('prints milliseconds below a second and seconds above', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(30_000)).toBe('30 s');
  });
});

describe('failureOf', () => {
  it('keeps the Node error code', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(failureOf(error)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(failureOf('odd')).toEqual({ code: 'UNKNOWN', message: 'odd' });
  });
});

describe('dnsCheck', () => {
  it('passes IP literals and resolved names', () => {
    expect(dnsCheck('127.0.0.1', { kind: 'literal', address: '127.0.0.1' }).status).toBe('ok');
    const resolved = dnsCheck('ls.example.com', { kind: 'resolved', addresses: ['10.0.0.5'], elapsedMs: 3 });
    expect(resolved).toMatchObject({ status: 'ok', title: 'DNS: ls.example.com resolves to 10.0.0.5' });
  });

  it('explains a name that does not exist, with the VPN hint', () => {
    const check = dnsCheck('ls.example.invalid', {
      kind: 'failed',
      failure: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' },
      elapsedMs: 5,
    });
    expect(check.status).toBe('fail');
    expect(check.title).toBe('DNS: the name ls.example.invalid does not exist');
    expect(check.fix).toContain('VPN');
  });

  it('tells a temporary DNS failure and a timeout apart from a missing name', () => {
    const again = dnsCheck('h', {
      kind: 'failed',
      failure: { code: 'EAI_AGAIN', message: '' },
      elapsedMs: 5,
    });
    expect(again.title).toBe('DNS: no DNS server answered for h');
    const slow = dnsCheck('h', {
      kind: 'failed',
      failure: { code: 'TIMEOUT', message: '' },
      elapsedMs: 10_000,
    });
    expect(slow.title).toBe('DNS: no answer for h within 10 s');
  });
});

describe('tcpCheck', () => {
  const refused = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' };

  it('reports a refused connection as nothing listening, with the port fix', () => {
    const check = tcpCheck('127.0.0.1', 8080, [
      { address: '127.0.0.1', connected: false, failure: refused, elapsedMs: 1 },
    ]);
    expect(check.status).toBe('fail');
    expect(check.title).toBe('TCP: connection refused by 127.0.0.1:8080');
    expect(check.detail).toContain('nothing listens on port 8080');
    expect(check.fix).toContain('Start the server');
  });

  it('reports a timeout as dropped packets', () => {
    const check = tcpCheck('h', 443, [
      { address: '10.0.0.5', connected: false, failure: { code: 'TIMEOUT', message: '' }, elapsedMs: 10_000 },
    ]);
    expect(check.title).toBe('TCP: h:443 did not answer');
    expect(check.detail).toContain('no answer within 10 s');
    expect(check.fix).toContain('firewall');
  });

  it('passes when a later address connects, and mentions the earlier failure', () => {
    const check = tcpCheck('localhost', 80, [
      { address: '::1', connected: false, failure: refused, elapsedMs: 1 },
      { address: '127.0.0.1', connected: true, elapsedMs: 2 },
    ]);
    expect(check.status).toBe('ok');
    expect(check.title).toBe('TCP: connected to 127.0.0.1:80 in 2 ms');
    expect(check.detail).toContain('[::1]:80: connection refused');
  });
});

describe('tlsCheck', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const certificate = {
    subject: 'ls.example.com',
    issuer: 'Example CA',
    validTo: 'Jan  1 00:00:00 2027 GMT',
    altNames: ['ls.example.com'],
  };

  it('is skipped for plain http, and warns when a token would cross the network unencrypted', () => {
    expect(tlsCheck('127.0.0.1', { kind: 'not-https', exposesToken: false }, now).status).toBe('skip');
    const exposed = tlsCheck('ls.example.com', { kind: 'not-https', exposesToken: true }, now);
    expect(exposed.status).toBe('warn');
    expect(exposed.title).toContain('the token travels unencrypted');
  });

  it('passes a trusted certificate and warns when it expires soon', () => {
    const ok = tlsCheck(
      'ls.example.com',
      { kind: 'handshake', protocol: 'TLSv1.3', certificate, error: undefined, elapsedMs: 9 },
      now,
    );
    expect(ok).toMatchObject({ status: 'ok', title: 'TLS: trusted certificate (TLSv1.3)' });
    expect(ok.detail).toContain('issued to ls.example.com, by Example CA');
    const soon = tlsCheck(
      'ls.example.com',
      { kind: 'handshake', protocol: 'TLSv1.3', certificate, error: undefined, elapsedMs: 9 },
      Date.parse('2026-12-25T00:00:00Z'),
    );
    expect(soon).toMatchObject({ status: 'warn', title: 'TLS: the certificate expires in 7 days' });
  });

  it.each([
    ['CERT_HAS_EXPIRED', "TLS: the server's certificate has expired (on Jan  1 00:00:00 2027 GMT)", 'Renew'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS: the server uses a self-signed certificate', 'NODE_EXTRA_CA_CERTS'],
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'TLS: the certificate comes from a CA this computer does not trust',
      'NODE_EXTRA_CA_CERTS',
    ],
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'TLS: the server does not send its intermediate certificates',
      'fullchain.pem',
    ],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS: the certificate is not for other.example.com', 'ls.example.com'],
    ['CERT_NOT_YET_VALID', "TLS: the server's certificate is not valid yet", 'clock'],
  ])('names certificate error %s and says what to do', (code, title, fix) => {
    const check = tlsCheck(
      'other.example.com',
      { kind: 'handshake', protocol: 'TLSv1.3', certificate, error: code, elapsedMs: 9 },
      now,
    );
    expect(check.status).toBe('fail');
    expect(check.title).toBe(title);
    expect(check.detail).toContain(code);
    expect(check.fix).toContain(fix);
  });

  it('recognises plain HTTP on a port used as https', () => {
    const check = tlsCheck(
      'h',
      {
        kind: 'failed',
        failure: { code: 'EPROTO', message: 'ssl3_get_record:wrong version number' },
        elapsedMs: 3,
      },
      now,
    );
    expect(check).toMatchObject({ status: 'fail', title: 'TLS: the port does not speak TLS' });
    expect(check.fix).toContain('http://');
  });
});
