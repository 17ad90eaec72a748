// The real servers Annotray meets in deployments, started by integration tests from Debian
// packages (scripts/install-system-deps.sh): Redis, Label Studio's notification stream on
// Daphne + Django 4.2 (seed 000), nginx in front of it, and a replaying SSE server on
// gunicorn + gevent (seed 004). Fakes written in Node would not reproduce what matters here:
// no headers before the first event, silent stalls after a Redis restart, nginx chunking.
//
// Each start function picks a free port on 127.0.0.1, waits until the server serves, and
// returns a handle that can stop, kill (e.g. SIGKILL) and restart it on the same port.
// Servers never outlive the test process (see managed-process.ts).

import { execFileSync } from 'node:child_process';
import { chmod, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  delay,
  httpProbe,
  killAllServers,
  type ManagedServerSpec,
  type RunIdentity,
  type ServerHandle,
  startManagedServer,
} from './managed-process.ts';
import { RespConnection } from './resp-client.ts';

export { delay, type ServerHandle } from './managed-process.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serversDir = path.join(repoRoot, 'test/servers');
const installScript = path.join(repoRoot, 'scripts/install-system-deps.sh');

// Debian's interpreter, which sees the python3-* packages (a pyenv python3 on PATH does not).
const PYTHON = '/usr/bin/python3';
const REDIS_SERVER = '/usr/bin/redis-server';
const NGINX = '/usr/sbin/nginx';
const GUNICORN = '/usr/bin/gunicorn';

let depsChecked = false;

/**
 * Throws (never skips) when the system packages are missing: in CI `npm test` installs them
 * first, so a missing package is a broken setup that must fail loudly.
 */
export function ensureSystemDeps(): void {
  if (depsChecked) return;
  try {
    execFileSync('bash', [installScript, '--check'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    throw new Error(
      `The real test servers need Debian packages that are not installed.\n${output.trim()}\n` +
        `Install them with: sudo ${path.relative(process.cwd(), installScript)}`,
      { cause: error },
    );
  }
  depsChecked = true;
}

// Python children get a clean interpreter environment: no pyenv/venv leaking in, no .pyc files
// written into the repository.
function pythonEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    ...extra,
  };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.VIRTUAL_ENV;
  return env;
}

const httpUrl = (port: number) => `http://127.0.0.1:${port}`;

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisServer extends ServerHandle {
  /** Pub/sub keeps nothing: a restart drops every subscription. */
  readonly kind: 'redis';
}

export async function startRedis(): Promise<RedisServer> {
  ensureSystemDeps();
  const spec: ManagedServerSpec = {
    name: 'redis',
    command: REDIS_SERVER,
    args: (port, runDir) => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      runDir,
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    probe: redisProbe,
    url: (port) => `redis://127.0.0.1:${port}`,
  };
  return Object.assign(await startManagedServer(spec), { kind: 'redis' as const });
}

// Redis runs in its run dir, so `CONFIG GET dir` tells this instance from another one.
async function redisProbe(port: number, run: RunIdentity): Promise<boolean> {
  const connection = await RespConnection.open(port, '127.0.0.1', 1_000);
  try {
    const reply = (await connection.command('CONFIG', 'GET', 'dir')) as [string, string];
    return reply[1] === (await realpath(run.runDir));
  } finally {
    connection.close();
  }
}

function jsonField(field: string, expected: unknown): (body: string) => boolean {
  return (body) => {
    try {
      return (JSON.parse(body) as Record<string, unknown>)[field] === expected;
    } catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Label Studio on Daphne

export interface DaphneOptions {
  redisPort: number;
  /** Required as `Authorization: Token <token>`; empty or absent: no authentication. */
  token?: string;
  /** The server's TIME_ZONE, which decides the wall clock of `message_time` (default UTC). */
  timeZone?: string;
}

export interface LabelStudioServer extends ServerHandle {
  readonly token: string;
  /** `{url}/api/notifications/events/{channel}`. */
  eventsUrl(channel: string): string;
  /** `{url}/login-required/api/notifications/events/{channel}` (answers 302 to the login page). */
  loginRequiredEventsUrl(channel: string): string;
}

export async function startDaphne(options: DaphneOptions): Promise<LabelStudioServer> {
  ensureSystemDeps();
  const token = options.token ?? '';
  const spec: ManagedServerSpec = {
    name: 'daphne',
    command: PYTHON,
    args: (port) => [
      '-m',
      'daphne',
      '-b',
      '127.0.0.1',
      '-p',
      String(port),
      '--access-log',
      '-',
      '--proxy-headers',
      'core.asgi:application',
    ],
    cwd: path.join(serversDir, 'labelstudio'),
    env: pythonEnv({
      DJANGO_SETTINGS_MODULE: 'core.settings',
      ANNOTRAY_REDIS_URL: `redis://127.0.0.1:${options.redisPort}/0`,
      ANNOTRAY_TEST_TOKEN: token,
      ANNOTRAY_SERVER_TZ: options.timeZone ?? 'UTC',
    }),
    probe: (port, run) => httpProbe(port, '/health', 200, jsonField('pid', run.pid)),
    url: httpUrl,
  };
  const server = await startManagedServer(spec);
  return Object.assign(server, {
    token,
    eventsUrl: (channel: string) => `${server.url}/api/notifications/events/${encodeURIComponent(channel)}`,
    loginRequiredEventsUrl: (channel: string) =>
      `${server.url}/login-required/api/notifications/events/${encodeURIComponent(channel)}`,
  });
}

// ---------------------------------------------------------------------------------------------
// nginx in front of Daphne

export interface NginxOptions {
  upstreamPort: number;
  /**
   * `proxy_buffering on` for the events location; the seed's config has it off (default).
   * On its own it does NOT hold small events back on nginx 1.22 (nginx forwards what it has
   * read whenever the upstream would block); combined with `gzip` it holds everything,
   * headers included, until its buffers fill.
   */
  buffering?: boolean;
  /** `gzip on` for text/event-stream (clients that send Accept-Encoding: gzip). Default off. */
  gzip?: boolean;
  /**
   * `proxy_read_timeout`/`proxy_send_timeout` of the events location in seconds; the seed's is
   * 24 h (default). A few seconds stands in for nginx's default 60 s, an AWS load balancer's
   * idle timeout or Cloudflare's ~100 s: a quiet stream gets a 504 (no headers yet) or is
   * closed (headers sent) once that long passes without a byte.
   */
  readTimeoutSeconds?: number;
}

export interface NginxServer extends ServerHandle {
  readonly buffering: boolean;
  readonly gzip: boolean;
  eventsUrl(channel: string): string;
}

export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  ensureSystemDeps();
  const buffering = options.buffering ?? false;
  const gzip = options.gzip ?? false;
  const template = await readFile(path.join(serversDir, 'nginx/labelstudio.conf.template'), 'utf8');
  const spec: ManagedServerSpec = {
    name: 'nginx',
    command: NGINX,
    // -e: the startup error log; otherwise nginx first opens /var/log/nginx/error.log.
    args: (_port, runDir) => [
      '-p',
      runDir,
      '-c',
      path.join(runDir, 'nginx.conf'),
      '-e',
      'stderr',
      '-g',
      'daemon off;',
    ],
    async prepare(port, runDir) {
      // As root, nginx workers run as nobody and must reach their temp dirs in here.
      await chmod(runDir, 0o755);
      const config = template
        .replaceAll('{{PREFIX}}', runDir)
        .replaceAll('{{PORT}}', String(port))
        .replaceAll('{{UPSTREAM_PORT}}', String(options.upstreamPort))
        .replaceAll('{{PROXY_BUFFERING}}', buffering ? 'on' : 'off')
        .replaceAll('{{GZIP}}', gzip ? 'on' : 'off')
        .replaceAll(
          '{{READ_TIMEOUT}}',
          options.readTimeoutSeconds === undefined ? '24h' : `${options.readTimeoutSeconds}s`,
        );
      await writeFile(path.join(runDir, 'nginx.conf'), config);
    },
    probe: (port, run) => httpProbe(port, '/nginx-health', 200, (body) => body === run.runDir),
    url: httpUrl,
  };
  const server = await startManagedServer(spec);
  return Object.assign(server, {
    buffering,
    gzip,
    eventsUrl: (channel: string) => `${server.url}/api/notifications/events/${encodeURIComponent(channel)}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Replaying SSE server on gunicorn + gevent

export interface ReplayServerOptions {
  /** `:` comment after this many idle seconds; 0: none (default 5). Per stream: `?heartbeat=`. */
  heartbeatSeconds?: number;
  /** `retry:` sent first on every stream, in ms; 0: none (default 3000). Per stream: `?retry=`. */
  retryMs?: number;
  /** Messages kept per channel for `last_n` (default 100). */
  historySize?: number;
  /** How long a stopping worker waits for open streams before it is killed (default 1 s). */
  gracefulTimeoutSeconds?: number;
}

export interface ReplayServer extends ServerHandle {
  /** `{url}/news/stream/{channel}/?last_n=N&...`; `query` adds e.g. heartbeat/retry overrides. */
  streamUrl(channel: string, lastN?: number, query?: Record<string, string | number>): string;
}

export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  ensureSystemDeps();
  const spec: ManagedServerSpec = {
    name: 'gunicorn',
    command: GUNICORN,
    // One worker: channels and history live in the worker's memory (seed 004), so a second
    // worker would neither see the publishes nor replay the same history.
    args: (port) => [
      '--worker-class=gevent',
      '--workers=1',
      '--timeout',
      '600',
      '--graceful-timeout',
      String(options.gracefulTimeoutSeconds ?? 1),
      '-b',
      `127.0.0.1:${port}`,
      '--access-logfile',
      '-',
      'news_api.wsgi',
    ],
    cwd: path.join(serversDir, 'replay'),
    env: pythonEnv({
      DJANGO_SETTINGS_MODULE: 'news_api.settings',
      REPLAY_HEARTBEAT_SECONDS: String(options.heartbeatSeconds ?? 5),
      REPLAY_RETRY_MS: String(options.retryMs ?? 3000),
      REPLAY_HISTORY_SIZE: String(options.historySize ?? 100),
    }),
    probe: (port, run) => httpProbe(port, '/health/', 200, jsonField('master_pid', run.pid)),
    url: httpUrl,
  };
  const server = await startManagedServer(spec);
  return Object.assign(server, {
    streamUrl(channel: string, lastN = 0, query: Record<string, string | number> = {}) {
      const params = new URLSearchParams({ last_n: String(lastN) });
      for (const [key, value] of Object.entries(query)) params.set(key, String(value));
      return `${server.url}/news/stream/${encodeURIComponent(channel)}/?${params}`;
    },
  });
}

/** Publishes into a replay-server channel; resolves with the message's `id:`. */
export async function publishReplay(
  url: string,
  channel: string,
  data: unknown,
  event?: string,
): Promise<number> {
  const response = await fetch(`${url}/news/publish/${encodeURIComponent(channel)}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event === undefined ? { data } : { data, event }),
  });
  if (response.status !== 201) {
    throw new Error(`the replay server answered ${response.status} to a publish: ${await response.text()}`);
  }
  return ((await response.json()) as { id: number }).id;
}

export interface ReplayChannelStats {
  /** Streams registered on the channel (a dead one counts until its next write fails). */
  subscribers: number;
  history: number;
  lastId: number;
}

export async function replayChannelStats(url: string, channel: string): Promise<ReplayChannelStats> {
  const response = await fetch(`${url}/news/channels/${encodeURIComponent(channel)}/`);
  const body = (await response.json()) as { subscribers: number; history: number; last_id: number };
  return { subscribers: body.subscribers, history: body.history, lastId: body.last_id };
}

// ---------------------------------------------------------------------------------------------
// Publishing into Label Studio's Redis

const publishers = new Map<number, Promise<RespConnection>>();

// One persistent, pipelined connection per Redis port; reopened after Redis restarts.
async function redisConnection(port: number): Promise<RespConnection> {
  const existing = publishers.get(port);
  if (existing) {
    const connection = await existing.catch(() => undefined);
    if (connection && !connection.closed) return connection;
  }
  const opening = RespConnection.open(port);
  publishers.set(port, opening);
  opening.catch(() => publishers.delete(port));
  return opening;
}

/** Closes the cached publishing connections, which would otherwise keep the process alive. */
export function closePublishers(): void {
  for (const [port, connection] of publishers) {
    publishers.delete(port);
    connection.then((c) => c.close()).catch(() => {});
  }
}

export type NotificationContext = Record<string, unknown> & { message_time?: number | Date };

/**
 * Publishes a notification as Label Studio's NotificationService does:
 * `PUBLISH channel json.dumps({"context": context})`, with `message_time` as a float epoch in
 * seconds (now, if absent; a Date is converted). Resolves with the number of subscribers that
 * received it (0: nobody was listening, and the event is lost for good; streams whose client
 * left recently still count, see waitForSubscribers).
 */
export async function publishLabelStudio(
  redisPort: number,
  channel: string,
  context: NotificationContext,
): Promise<number> {
  const time = context.message_time;
  const messageTime = time instanceof Date ? time.getTime() / 1000 : (time ?? Date.now() / 1000);
  return publishRaw(
    redisPort,
    channel,
    JSON.stringify({ context: { ...context, message_time: messageTime } }),
  );
}

/** PUBLISHes an arbitrary payload, e.g. a malformed one that kills the stream's generator. */
export async function publishRaw(redisPort: number, channel: string, payload: string): Promise<number> {
  const connection = await redisConnection(redisPort);
  return (await connection.command('PUBLISH', channel, payload)) as number;
}

/** Subscribers of `channel` right now (PUBSUB NUMSUB): one per open Label Studio stream. */
export async function subscriberCount(redisPort: number, channel: string): Promise<number> {
  const connection = await redisConnection(redisPort);
  const reply = (await connection.command('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return reply[1];
}

/**
 * Waits until at least `count` streams subscribed to `channel`. A stream subscribes only
 * after its request reached the view, and Redis keeps nothing: publish before that and the
 * event is lost, so tests wait for this instead of sleeping.
 *
 * Daphne keeps a disconnected client's subscription for ~10 s (forever once one of its streams
 * has failed), and those count too: give every test its own channel.
 */
export async function waitForSubscribers(
  redisPort: number,
  channel: string,
  count = 1,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await subscriberCount(redisPort, channel);
    if (seen >= count) return;
    await delay(25);
  }
  throw new Error(`expected ${count} subscriber(s) on ${channel} within ${timeoutMs} ms, saw ${seen}`);
}

/** SIGKILLs every server still running and closes the publishers: call in afterAll. */
export async function stopAll(): Promise<void> {
  closePublishers();
  await killAllServers();
}
