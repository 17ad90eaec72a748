// `annotray doctor` against the fault-injecting SSE server: each deployment problem from
// PRODUCT.md §1 must come out as the right check with a fix, and no run may hang.

import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../engine/connection/auth.ts';
import {
  type DoctorOptions,
  type DoctorReport,
  formatDoctorReport,
  runDoctor,
} from '../engine/doctor/doctor.ts';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './support/self-signed-certificate.ts';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';

const PATH = '/api/notifications/events/user_42';
const EVENT = 'data: {"event_type":"ocr.task.assigned","task_id":7,"project_id":3}\n\n';

function check(
  report: DoctorReport,
  id: string,
): { status: string; title: string; detail: string; fix?: string } {
  const found = report.checks.find((entry) => entry.id === id);
  if (!found) throw new Error(`no ${id} check in\n${formatDoctorReport(report)}`);
  return found;
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((entry) => [entry.id, entry.status]));
}

describe('doctor against a test server', () => {
  let server: SseTestServer;

  const doctor = (options: Partial<DoctorOptions> = {}): Promise<DoctorReport> =>
    runDoctor({ server: server.url, channel: 'user_42', waitMs: 1_000, ...options });

  beforeEach(async () => {
    server = await startSseTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('passes a healthy stream that answers at once and sends a hello comment', async () => {
    server.route(PATH, { kind: 'stream', initial: ': connected\n\n' });
    const report = await doctor({ auth: { scheme: 'token', token: 'legacy-secret-123' } });

    expect(report.verdict, formatDoctorReport(report)).toBe('ok');
    expect(report.url).toBe(`${server.url}${PATH}`);
    expect(statuses(report)).toEqual({
      settings: 'ok',
      dns: 'ok',
      tcp: 'ok',
      tls: 'skip',
      auth: 'ok',
      redirects: 'ok',
      headers: 'ok',
      status: 'ok',
      'content-type': 'ok',
      body: 'ok',
      buffering: 'ok',
      idle: 'skip',
    });
    expect(check(report, 'body').title).toMatch(/^Body: first bytes after \d+ ms$/);
    expect(check(report, 'body').detail).toContain('The first frame was a comment (`: connected`)');
    const request = server.requests.find((entry) => entry.path === PATH);
    expect(request?.headers).toMatchObject({
      authorization: 'Token legacy-secret-123',
      accept: 'text/event-stream',
    });
    expect(formatDoctorReport(report)).not.toContain('legacy-secret-123');
    // The doctor closes its connection when it is done.
    await server.waitForOpenStreams(PATH, 0, 2_000);
  });

  it('resolves localhost through DNS', async () => {
    server.route(PATH, { kind: 'stream', initial: ': hi\n\n' });
    const report = await doctor({ server: `http://localhost:${server.port}` });
    expect(check(report, 'dns')).toMatchObject({ status: 'ok' });
    expect(check(report, 'dns').title).toContain('127.0.0.1');
    expect(check(report, 'tcp').status).toBe('ok');
  });

  it('warns when the server holds back its headers until the first event, within the wait', async () => {
    server.route(PATH, { kind: 'stream', holdHeaders: true });
    const started = Date.now();
    const report = await doctor({ waitMs: 600 });
    expect(Date.now() - started).toBeLessThan(3_000);

    expect(report.verdict).toBe('warn');
    const headers = check(report, 'headers');
    expect(headers.status).toBe('warn');
    expect(headers.detail).toContain(
      "the server holds back its headers until the first event (Daphne/gunicorn do this); Annotray handles it, but browsers' and proxies' timeouts may not",
    );
    expect(headers.fix).toContain('`: connected` comment');
    expect(headers.fix).toContain('heartbeat');
    expect(check(report, 'status').status).toBe('skip');
    expect(check(report, 'tcp').status).toBe('ok');
  });

  it('warns about a stream that is open but sends no heartbeat', async () => {
    server.route(PATH, { kind: 'stream' });
    const report = await doctor({ waitMs: 500 });
    expect(check(report, 'headers').status).toBe('ok');
    expect(check(report, 'body')).toMatchObject({
      status: 'warn',
      title: expect.stringContaining('no heartbeat'),
    });
    expect(check(report, 'buffering').detail).toContain('publish an event');
  });

  it('explains 401 with the server message and the token fix', async () => {
    server.route(PATH, {
      kind: 'status',
      status: 401,
      contentType: 'application/json',
      body: '{"detail":"Authentication credentials were not provided."}',
      headers: { 'www-authenticate': 'Token' },
    });
    const report = await doctor();
    const status = check(report, 'status');
    expect(report.verdict).toBe('fail');
    expect(status.title).toBe('Status: 401 Unauthorized: the token is missing or wrong');
    expect(status.detail).toContain('"Authentication credentials were not provided."');
    expect(status.fix).toContain('Personal Access Token');
    expect(check(report, 'content-type').status).toBe('skip');
  });

  it('explains 404 as a wrong server URL or events path', async () => {
    const report = await doctor({ server: `${server.url}/label-studio` });
    const status = check(report, 'status');
    expect(status.title).toBe('Status: 404 Not Found: wrong server URL or events path');
    expect(status.detail).toContain('/label-studio/api/notifications/events/user_42');
    expect(status.fix).toContain('--events-path');
  });

  it('blames authentication for a 302 to a login page that answers 200 HTML', async () => {
    server.route(PATH, { kind: 'redirect', location: `/user/login/?next=${PATH}` });
    server.route('/user/login/', {
      kind: 'status',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html><head><title>Sign in | Label Studio</title></head><body><form><input type="password"></form></body></html>',
    });
    const report = await doctor();

    const redirects = check(report, 'redirects');
    expect(redirects.status).toBe('fail');
    expect(redirects.title).toBe('Redirects: sent to a login page: authentication is missing');
    expect(redirects.detail).toContain(`${server.url}/user/login/?next=${PATH}`);
    expect(check(report, 'status').status).toBe('ok');
    expect(check(report, 'content-type').title).toContain(
      'an HTML login page titled "Sign in | Label Studio"',
    );
    expect(server.requests.map((request) => request.path)).toEqual([PATH, '/user/login/']);
  });

  it('stops a redirect loop and says so', async () => {
    server.route(PATH, { kind: 'redirect', location: '/elsewhere' });
    server.route('/elsewhere', { kind: 'redirect', location: PATH, status: 307 });
    const report = await doctor();
    expect(check(report, 'redirects')).toMatchObject({ status: 'fail', title: 'Redirects: a redirect loop' });
    expect(check(report, 'redirects').detail).toContain(`→ 307 ${server.url}${PATH}`);
    expect(check(report, 'status').status).toBe('skip');
    expect(server.requests).toHaveLength(2);
  });

  it('stops after 5 redirects', async () => {
    for (let i = 0; i < 8; i++)
      server.route(i === 0 ? PATH : `/hop/${i}`, { kind: 'redirect', location: `/hop/${i + 1}` });
    const report = await doctor();
    expect(check(report, 'redirects').title).toBe('Redirects: more than 5 redirects, stopped');
    expect(server.requests).toHaveLength(6);
  });

  it('explains a 502 from nginx as the server behind the proxy being down', async () => {
    server.route(PATH, {
      kind: 'status',
      status: 502,
      contentType: 'text/html',
      body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx/1.22.1</center></body></html>',
      headers: { server: 'nginx/1.22.1' },
    });
    const report = await doctor();
    const status = check(report, 'status');
    expect(status.title).toBe('Status: 502 Bad Gateway: the server behind the proxy is down or unreachable');
    expect(status.detail).toContain('nginx/1.22.1 (the proxy) answered 502');
    expect(status.detail).toContain('"502 Bad Gateway"');
  });

  it('names an HTML page answered with 200 by its title', async () => {
    server.route(PATH, {
      kind: 'status',
      status: 200,
      contentType: 'text/html',
      body: '<html><head><title>Label Studio</title></head><body>app</body></html>',
    });
    const report = await doctor();
    expect(check(report, 'content-type')).toMatchObject({
      status: 'fail',
      title: 'Content type: an HTML page titled "Label Studio", not an event stream',
    });
    expect(check(report, 'body').status).toBe('skip');
  });

  it('reports a refused connection and skips the rest', async () => {
    await server.stopListening();
    const report = await doctor();
    expect(check(report, 'tcp')).toMatchObject({
      status: 'fail',
      title: `TCP: connection refused by 127.0.0.1:${server.port}`,
    });
    expect(check(report, 'tcp').fix).toContain('Start the server');
    expect(report.checks.slice(3).every((entry) => entry.status === 'skip')).toBe(true);
    expect(check(report, 'tls').title).toBe(
      `TLS: not checked (no TCP connection to 127.0.0.1:${server.port})`,
    );
  });

  it('recognises plain HTTP on an https URL', async () => {
    const report = await doctor({ server: server.url.replace('http:', 'https:') });
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', title: 'TLS: the port does not speak TLS' });
    expect(server.requests).toHaveLength(0);
  });

  it('names a self-signed certificate and describes it', async () => {
    const https = createHttpsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) =>
      res.end(),
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = https.address() as AddressInfo;
      const report = await doctor({ server: `https://127.0.0.1:${port}` });
      const tls = check(report, 'tls');
      expect(tls).toMatchObject({ status: 'fail', title: 'TLS: the server uses a self-signed certificate' });
      expect(tls.detail).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(tls.detail).toContain('issued to annotray-test.local');
      expect(tls.detail).toContain('2126');
      expect(tls.fix).toContain('NODE_EXTRA_CA_CERTS');
      expect(check(report, 'status')).toMatchObject({
        status: 'skip',
        title: 'Status: not checked (TLS with 127.0.0.1 failed)',
      });
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  it('warns about Content-Length on a stream', async () => {
    server.route(PATH, { kind: 'stream', headers: { 'content-length': '100000' }, initial: ': hi\n\n' });
    const report = await doctor();
    expect(check(report, 'buffering')).toMatchObject({
      status: 'warn',
      title: 'Buffering: Content-Length: 100000 on an event stream',
    });
  });

  it('warns about a gzip-compressed stream', async () => {
    server.route(PATH, {
      kind: 'handler',
      handle: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
        res.write(gzipSync(': connected\n\n'));
      },
    });
    const report = await doctor();
    const buffering = check(report, 'buffering');
    expect(buffering.title).toBe('Buffering: the stream is compressed (Content-Encoding: gzip)');
    expect(buffering.fix).toContain('gzip_types');
    expect(check(report, 'body').detail).toContain('gzip-compressed');
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('warns about nginx without the SSE location headers', async () => {
    server.route(PATH, {
      kind: 'stream',
      initial: ': hi\n\n',
      headers: { server: 'nginx/1.22.1', 'cache-control': 'private' },
    });
    const report = await doctor();
    expect(check(report, 'buffering').title).toBe('Buffering: nginx without the SSE location settings');
  });

  it('warns when events arrive in one lump after a silence', async () => {
    server.route(PATH, { kind: 'stream' });
    const running = doctor({ waitMs: 2_000 });
    await server.waitForOpenStreams(PATH, 1);
    // The lump threshold for a 2 s wait is 500 ms of silence.
    await new Promise((resolve) => setTimeout(resolve, 700));
    server.send(PATH, EVENT + EVENT + EVENT);
    const report = await running;
    expect(check(report, 'buffering').title).toMatch(
      /^Buffering: 3 events arrived in one lump after [\d.]+ (ms|s) of silence$/,
    );
    expect(check(report, 'body').detail).toContain('The first frame was an event (ocr.task.assigned)');
  });

  it('reports a stream the server ends at once', async () => {
    server.route(PATH, {
      kind: 'handler',
      handle: (_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(),
    });
    const report = await doctor();
    expect(check(report, 'body').title).toMatch(/^Body: the server ended the stream after/);
  });

  it('reports a request the server drops without answering', async () => {
    server.route(PATH, { kind: 'handler', handle: (req) => req.socket.destroy() });
    const report = await doctor();
    expect(check(report, 'status')).toMatchObject({
      status: 'fail',
      title: 'Status: the connection closed without an answer',
    });
  });

  it('exchanges a Personal Access Token and sends the access token, printing neither', async () => {
    server.route('/api/token/refresh/', {
      kind: 'handler',
      handle: (req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        req.on('end', () => {
          const ok = (JSON.parse(body) as { refresh?: string }).refresh === 'refresh-secret-456';
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          res.end(ok ? '{"access":"access-secret-789"}' : '{"detail":"Token is invalid"}');
        });
      },
    });
    server.route(PATH, {
      kind: 'handler',
      handle: (req, res) => {
        const ok = req.headers.authorization === 'Bearer access-secret-789';
        res.writeHead(ok ? 200 : 401, { 'content-type': ok ? 'text/event-stream' : 'application/json' });
        if (ok) res.write(': ok access-secret-789\n\n');
        else res.end('{"detail":"no"}');
      },
    });
    const pat: AuthConfig = { scheme: 'pat', refreshToken: 'refresh-secret-456' };
    const report = await doctor({ auth: pat });
    const text = formatDoctorReport(report);
    expect(check(report, 'auth').title).toMatch(/^Authentication: exchanged the Personal Access Token/);
    expect(check(report, 'status').status).toBe('ok');
    expect(text).not.toContain('refresh-secret-456');
    expect(text).not.toContain('access-secret-789');

    const refused = await doctor({ auth: { scheme: 'pat', refreshToken: 'wrong-refresh-000' } });
    expect(check(refused, 'auth')).toMatchObject({
      status: 'fail',
      title: 'Authentication: the server refused the Personal Access Token',
    });
    expect(formatDoctorReport(refused)).not.toContain('wrong-refresh-000');
  });

  it('refuses an expired JWT access token before using it', async () => {
    server.route(PATH, { kind: 'stream', initial: ': hi\n\n' });
    const payload = Buffer.from(JSON.stringify({ token_type: 'access', exp: 1_000 })).toString('base64url');
    const report = await doctor({ auth: { scheme: 'bearer', token: `e30.${payload}.sig` } });
    expect(check(report, 'auth')).toMatchObject({
      status: 'fail',
      title: expect.stringContaining('expired'),
    });
    expect(server.requests.filter((request) => request.path === PATH)).toHaveLength(0);
    expect(check(report, 'redirects').title).toBe('Redirects: not checked (authentication failed)');
    expect(formatDoctorReport(report)).not.toContain(payload);
  });

  it("judges a JWT's expiry by the clock it is given", async () => {
    server.route(PATH, { kind: 'stream', initial: ': hi\n\n' });
    const exp = 4_000_000_000; // 2096
    const payload = Buffer.from(JSON.stringify({ token_type: 'access', exp })).toString('base64url');
    const auth: AuthConfig = { scheme: 'bearer', token: `e30.${payload}.sig` };
    expect(check(await doctor({ auth }), 'auth').status).toBe('warn');
    const later = await doctor({ auth, now: () => exp * 1_000 + 1 });
    expect(check(later, 'auth')).toMatchObject({ status: 'fail', title: expect.stringContaining('expired') });
  });

  it('honours an abort while waiting for held-back headers, and closes its connection', async () => {
    server.route(PATH, { kind: 'stream', holdHeaders: true });
    const controller = new AbortController();
    const running = doctor({ waitMs: 30_000, signal: controller.signal });
    await server.waitForOpenStreams(PATH, 1);
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(running).rejects.toThrow('user pressed Ctrl-C');
    await server.waitForOpenStreams(PATH, 0, 2_000);
  });

  it('never hangs on a server that accepts and never answers', async () => {
    server.route(PATH, { kind: 'hang' });
    const started = Date.now();
    const report = await doctor({ waitMs: 400 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(check(report, 'headers').status).toBe('warn');
  });
});
