// Command-line parsing for `annotray`: flags as PRODUCT.md section 4 names them, with
// errors that say what to type instead. Returns data; never exits.

import { parseArgs } from 'node:util';
import { MIN_IDLE_REFRESH_SECONDS, type ServerConfig } from '../config/server-config.ts';
import { AUTH_SCHEMES, type AuthScheme, authFromToken } from '../connection/auth.ts';
import { DEFAULT_EVENTS_PATH, SettingsError } from '../connection/endpoint.ts';
import { FULL_HOLD_SECONDS } from '../doctor/idle-checks.ts';
import { DEFAULT_TASK_URL } from '../events/task-link.ts';

export const DEFAULT_IDLE_REFRESH_SECONDS = 300;
/** How long doctor gives each step (DNS, TCP, TLS, headers without --wait). */
const DEFAULT_STEP_SECONDS = 10;

export const USAGE = `Usage:
  annotray watch  --server URL --channel NAME [--channel NAME ...] [--token TOKEN] [--json]
                  [--events-path TEMPLATE] [--task-url TEMPLATE] [--idle-refresh SECONDS]
                  [--auth-scheme auto|token|bearer|pat] [--history DIR] [--verbose]
                  [--transport sse|ws] [--socket-path TEMPLATE]
  annotray doctor --server URL --channel NAME [--token TOKEN] [--events-path TEMPLATE]
                  [--wait [SECONDS]] [--json]
  annotray --version | --help

The token may also come from the ANNOTRAY_TOKEN environment variable (keeps it out of
your shell history and the process list).
  --events-path   default ${DEFAULT_EVENTS_PATH}
  --task-url      default ${DEFAULT_TASK_URL}
  --transport     sse (default) or ws: a Django Channels WebSocket instead of the event stream
  --socket-path   default /ws/notifications/ (ws only; may contain {channel})
  --wait          doctor: hold the stream open up to SECONDS (bare --wait: ${FULL_HOLD_SECONDS}, past
                  Cloudflare's ~125 s cut) to see whether a proxy closes quiet streams
  --idle-refresh  default ${DEFAULT_IDLE_REFRESH_SECONDS} (a silent connection is replaced after this long,
                  the new one opening before the old one closes)

Exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage error, 3 every channel failed for a reason
retrying cannot fix.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface WatchCommand {
  readonly command: 'watch';
  readonly server: ServerConfig;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly historyDir?: string;
}

export interface DoctorCommand {
  readonly command: 'doctor';
  readonly server: ServerConfig;
  /** How long each step may take (DNS, TCP, TLS, the token exchange). */
  readonly waitSeconds: number;
  /** --wait: how long to hold the stream open watching for a proxy's idle cut. */
  readonly holdSeconds?: number;
  readonly json: boolean;
  readonly verbose: boolean;
}

export type Command =
  | WatchCommand
  | DoctorCommand
  | { readonly command: 'help' }
  | { readonly command: 'version' };

const OPTIONS = {
  server: { type: 'string' },
  channel: { type: 'string', multiple: true },
  token: { type: 'string' },
  'auth-scheme': { type: 'string' },
  json: { type: 'boolean' },
  'events-path': { type: 'string' },
  'task-url': { type: 'string' },
  transport: { type: 'string' },
  'socket-path': { type: 'string' },
  'idle-refresh': { type: 'string' },
  history: { type: 'string' },
  wait: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function secondsFlag(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new UsageError(`--${flag} takes a number of seconds >= ${min} (got "${value}")`);
  return n;
}

/** `--wait` with no number after it means a full hold ({@link FULL_HOLD_SECONDS}). */
function withWaitValue(argv: readonly string[]): string[] {
  return argv.map((arg, i) =>
    arg === '--wait' && (i === argv.length - 1 || argv[i + 1]?.startsWith('-'))
      ? `--wait=${FULL_HOLD_SECONDS}`
      : arg,
  );
}

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: withWaitValue(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: 'version' };
  if (values.help || positionals.length === 0) return { command: 'help' };
  const [command, ...rest] = positionals;
  if (command !== 'watch' && command !== 'doctor')
    throw new UsageError(`unknown command "${command}": use watch or doctor`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (!values.server)
    throw new UsageError('--server URL is required, e.g. --server https://label-studio.example.com');
  const channels = values.channel ?? [];
  if (channels.length === 0)
    throw new UsageError('at least one --channel NAME is required, e.g. --channel user_42');
  if (command === 'doctor' && channels.length > 1)
    throw new UsageError('doctor checks one --channel at a time');
  const scheme = values['auth-scheme'] ?? 'auto';
  if (!['auto', ...AUTH_SCHEMES].includes(scheme)) {
    throw new UsageError(`--auth-scheme must be auto, token, bearer or pat (got "${scheme}")`);
  }
  const token = values.token ?? env.ANNOTRAY_TOKEN;
  const transport = values.transport ?? 'sse';
  if (transport !== 'sse' && transport !== 'ws')
    throw new UsageError(`--transport must be sse or ws (got "${transport}")`);
  if (command === 'doctor' && transport === 'ws')
    throw new UsageError('doctor checks event streams (sse) only');
  const idle = secondsFlag(
    values['idle-refresh'],
    'idle-refresh',
    DEFAULT_IDLE_REFRESH_SECONDS,
    MIN_IDLE_REFRESH_SECONDS,
  );
  const server: ServerConfig = {
    id: 'cli',
    url: values.server,
    auth: authFromToken(token, scheme as AuthScheme | 'auto'),
    channels,
    idleRefreshSeconds: idle,
    transport,
    ...(values['socket-path'] !== undefined ? { socketPath: values['socket-path'] } : {}),
    ...(values['events-path'] !== undefined ? { eventsPath: values['events-path'] } : {}),
    ...(values['task-url'] !== undefined ? { taskUrl: values['task-url'] } : {}),
  };
  if (command === 'doctor') {
    const hold =
      values.wait === undefined ? undefined : secondsFlag(values.wait, 'wait', FULL_HOLD_SECONDS, 1);
    return {
      command,
      server,
      // Steps keep their own short bound; a long hold is for the stream alone.
      waitSeconds: Math.min(hold ?? DEFAULT_STEP_SECONDS, DEFAULT_STEP_SECONDS),
      ...(hold !== undefined ? { holdSeconds: hold } : {}),
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
  }
  return {
    command,
    server,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    ...(values.history !== undefined ? { historyDir: values.history } : {}),
  };
}

/** Settings errors found while resolving the server are usage errors on the command line. */
export function asUsageError(error: unknown): UsageError | undefined {
  if (error instanceof UsageError) return error;
  if (error instanceof SettingsError) return new UsageError(error.message);
  return undefined;
}
