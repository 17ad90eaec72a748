// "Test connection" for a WebSocket (Django Channels) server: one real handshake with the
// engine's own WebSocket attempt, reported in the doctor's report shape. The event-stream
// doctor's checks (header timing, buffering) do not apply to sockets.

import type { AuthConfig } from '../connection/auth.ts';
import { Authorizer } from '../connection/auth.ts';
import {
  buildSocketUrl,
  DEFAULT_SOCKET_PATH,
  parseServerUrl,
  SettingsError,
} from '../connection/endpoint.ts';
import { classifyAttempt } from '../connection/failure.ts';
import { WsSubscription } from '../connection/ws-subscription.ts';
import { type DoctorCheck, type DoctorReport, makeReport } from './doctor-report.ts';

export interface SocketProbeOptions {
  readonly server: string;
  readonly channel: string;
  readonly auth?: AuthConfig;
  readonly socketPath?: string;
  readonly waitMs?: number;
}

const FIXES: Record<string, string> = {
  forbidden:
    'The server refused the handshake: check the token, that the server authenticates sockets by the Authorization header (a token middleware in front of the URLRouter), and that ALLOWED_HOSTS covers this server name (AllowedHostsOriginValidator checks Origin).',
  unauthorized: 'Check the token.',
  'not-found': 'Check the server URL and the socket path (Channels routes ws/notifications/ by default).',
};

export async function probeSocket(options: SocketProbeOptions): Promise<DoctorReport> {
  let url: URL;
  try {
    url = buildSocketUrl(
      parseServerUrl(options.server),
      options.channel || 'probe',
      options.socketPath || DEFAULT_SOCKET_PATH,
    );
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return makeReport(options.server, [
      { id: 'settings', status: 'fail', title: `Settings: ${error.message}`, detail: '' },
    ]);
  }
  const settings: DoctorCheck = {
    id: 'settings',
    status: 'ok',
    title: 'Settings: the socket URL is valid',
    detail: `Socket URL: ${url.href}`,
  };
  const authorizer = new Authorizer(parseServerUrl(options.server), options.auth ?? { scheme: 'none' });
  const outcome = await new Promise<DoctorCheck>((resolve) => {
    const started = Date.now();
    let sub: WsSubscription | undefined;
    const timer = setTimeout(() => {
      sub?.close();
      resolve({
        id: 'handshake',
        status: 'fail',
        title: `Handshake: no answer within ${Math.round((options.waitMs ?? 5_000) / 1000)} s`,
        detail: 'The server accepted the connection but did not complete the WebSocket handshake.',
        fix: 'Check that the server runs an ASGI server with WebSocket support (Daphne, uvicorn) and that a proxy in front passes Upgrade headers.',
      });
    }, options.waitMs ?? 5_000);
    sub = new WsSubscription(
      {
        url,
        channel: options.channel,
        authorizer,
        maxBufferSize: 4 * 1024 * 1024,
        connectTimeoutMs: options.waitMs ?? 5_000,
        userAgent: 'Annotray doctor',
      },
      {
        connected() {},
        activity() {},
        frame() {},
        open: (s) => {
          clearTimeout(timer);
          s.close();
          resolve({
            id: 'handshake',
            status: 'ok',
            title: `Handshake: accepted in ${Date.now() - started} ms`,
            detail: 'The server accepted the socket; events arrive as the server sends them.',
          });
        },
        ended: (_s, facts) => {
          clearTimeout(timer);
          const verdict = classifyAttempt(facts);
          const fix = verdict.retry
            ? 'Check that the server is running and reachable from this computer.'
            : FIXES[verdict.failure];
          resolve({
            id: 'handshake',
            status: 'fail',
            title: `Handshake: ${verdict.reason}`,
            detail: '',
            ...(fix ? { fix } : {}),
          });
        },
      },
      Date.now,
    );
  });
  return makeReport(url.href, [settings, outcome]);
}
