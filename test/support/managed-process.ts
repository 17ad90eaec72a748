// Runs one real server process for a test: picks a free port on 127.0.0.1, waits until the
// server answers, and stops, kills or restarts it on the same port. Every server runs in its
// own process group so killing it also kills its workers (nginx and gunicorn fork), and a
// detached reaper kills whatever is left if the test process dies without cleaning up.

import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServerHandle {
  /** A short name for messages ("redis", "daphne", ...). */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` (`redis://127.0.0.1:PORT` for Redis). */
  readonly url: string;
  /** The main process id while it runs. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The last 256 KiB of the server's stdout and stderr, for failure messages. */
  logs(): string;
  /** Graceful stop: SIGTERM, then SIGKILL to the process group after the stop timeout. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL, then to the whole process group) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal that need not end the server (SIGHUP, SIGSTOP, SIGCONT) without waiting. */
  signal(signal: NodeJS.Signals, target?: 'main' | 'group'): void;
  /** Starts the server again on the same port after stop() or kill(), and waits until ready. */
  start(): Promise<void>;
  /** stop() if running, then start(). */
  restart(): Promise<void>;
}

export interface ManagedServerSpec {
  name: string;
  command: string;
  /** Arguments for a run on `port`; `runDir` is a fresh temp dir removed when the run ends. */
  args(port: number, runDir: string): string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called before each spawn, e.g. to write a config file into `runDir`. */
  prepare?(port: number, runDir: string): Promise<void>;
  /**
   * One readiness probe; true when the server serves. Where it can, it should also check that
   * it reached this run (`pid`, `runDir`) and not another server that won the port race.
   */
  probe(port: number, run: RunIdentity): Promise<boolean>;
  url(port: number): string;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface RunIdentity {
  pid: number;
  runDir: string;
}

const LOG_LIMIT = 256 * 1024;
const PORT_ATTEMPTS = 4;

// Running servers and the temp dir of their current run.
const live = new Map<ChildProcess, string>();

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it, so parallel runs rarely collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe socket'));
      });
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

// Runs on process exit, so it must be synchronous.
function killAllNow(): void {
  for (const [child, runDir] of live) {
    killGroup(child, 'SIGKILL');
    rmSync(runDir, { recursive: true, force: true });
  }
  live.clear();
}

// A detached Node process that SIGKILLs every registered process group and removes its temp
// dir when our stdin pipe closes, i.e. when this test process dies by any means, even SIGKILL.
// Lines: "+PID DIR" registers a server, "-PID" forgets it.
const REAPER_SOURCE = `
const { rmSync } = require('node:fs');
const groups = new Map();
let pending = '';
const reap = () => {
  for (const [pid, dir] of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch {}
    // Give the killed server a moment to let go of its files.
    setTimeout(() => { try { rmSync(dir, { recursive: true, force: true }); } catch {} }, 200);
  }
  setTimeout(() => process.exit(0), 300);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const space = line.indexOf(' ');
    const pid = Number(line.slice(1, space < 0 ? undefined : space));
    if (line[0] === '+') groups.set(pid, line.slice(space + 1)); else groups.delete(pid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

let reaper: ChildProcess | undefined;

function tellReaper(line: string): void {
  if (!reaper) {
    process.on('exit', killAllNow);
    reaper = spawn(process.execPath, ['-e', REAPER_SOURCE], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    reaper.unref();
    // The pipe must not keep the test process alive either.
    (reaper.stdin as unknown as net.Socket).unref();
    reaper.stdin?.on('error', () => {});
  }
  reaper.stdin?.write(`${line}\n`);
}

/** SIGKILLs every server still running (for afterAll hooks; also runs on process exit). */
export async function killAllServers(): Promise<void> {
  const children = [...live.keys()];
  killAllNow();
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise<void>((resolve) => child.once('exit', () => resolve())),
    ),
  );
}

function looksLikePortInUse(logs: string): boolean {
  return /address already in use|EADDRINUSE|Errno 98|bind\(\) to .* failed|Connection in use/i.test(logs);
}

class ManagedServer implements ServerHandle {
  readonly name: string;
  private readonly spec: ManagedServerSpec;
  private currentPort = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';

  constructor(spec: ManagedServerSpec) {
    this.spec = spec;
    this.name = spec.name;
  }

  get port(): number {
    return this.currentPort;
  }

  get url(): string {
    return this.spec.url(this.currentPort);
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  logs(): string {
    return this.output;
  }

  async startOnFreePort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.currentPort = await freePort();
      try {
        await this.start();
        return;
      } catch (error) {
        // Another process took the port between the probe and the bind: pick another one.
        if (attempt >= PORT_ATTEMPTS || !looksLikePortInUse(this.output)) throw error;
      }
    }
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running on port ${this.currentPort}`);
    const runDir = await mkdtemp(path.join(tmpdir(), `annotray-${this.name}-`));
    try {
      await this.spec.prepare?.(this.currentPort, runDir);
    } catch (error) {
      await rm(runDir, { recursive: true, force: true });
      throw error;
    }
    this.output = '';
    const child = spawn(this.spec.command, this.spec.args(this.currentPort, runDir), {
      cwd: this.spec.cwd,
      env: this.spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const append = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        this.output += `\nspawn ${this.spec.command} failed: ${error.message}\n`;
      });
      // Leftover workers of a master that died (nginx workers outlive their master and would
      // also hold the output pipes open, so 'close' would never come).
      child.once('exit', () => killGroup(child, 'SIGKILL'));
      child.once('close', () => {
        live.delete(child);
        if (child.pid !== undefined) tellReaper(`-${child.pid}`);
        rm(runDir, { recursive: true, force: true }).then(
          () => resolve(),
          () => resolve(),
        );
      });
    });
    if (child.pid === undefined) {
      await this.exited;
      throw new Error(`${this.name}: could not start ${this.spec.command}: ${this.output.trim()}`);
    }
    live.set(child, runDir);
    tellReaper(`+${child.pid} ${runDir}`);
    await this.waitUntilReady(child, { pid: child.pid, runDir });
  }

  private async waitUntilReady(child: ChildProcess, run: RunIdentity): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    while (Date.now() < deadline) {
      if (exited || child.exitCode !== null || child.signalCode !== null) {
        await this.exited;
        throw new Error(
          `${this.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it served on ` +
            `127.0.0.1:${this.currentPort}. Its output:\n${this.output}`,
        );
      }
      if (await this.spec.probe(this.currentPort, run).catch(() => false)) return;
      await delay(50);
    }
    await this.kill('SIGKILL');
    throw new Error(
      `${this.name} did not serve on 127.0.0.1:${this.currentPort} within ${timeoutMs} ms. Its output:\n${this.output}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    child.kill('SIGTERM');
    await this.waitForExit(this.spec.stopTimeoutMs ?? 10_000);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    if (signal === 'SIGKILL') killGroup(child, 'SIGKILL');
    else child.kill(signal);
    await this.waitForExit(signal === 'SIGKILL' ? 5_000 : (this.spec.stopTimeoutMs ?? 10_000));
  }

  signal(signal: NodeJS.Signals, target: 'main' | 'group' = 'main'): void {
    const child = this.child;
    if (!child || !this.running) throw new Error(`${this.name} is not running`);
    if (target === 'group') killGroup(child, signal);
    else child.kill(signal);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async waitForExit(timeoutMs: number): Promise<void> {
    const child = this.child;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late && child) {
      this.output += `\n[harness] ${this.name} still running after ${timeoutMs} ms: SIGKILL\n`;
      killGroup(child, 'SIGKILL');
      await this.exited;
    }
  }
}

/** Starts a server on a free port of 127.0.0.1 and resolves once it answers its probe. */
export async function startManagedServer(spec: ManagedServerSpec): Promise<ServerHandle> {
  const server = new ManagedServer(spec);
  await server.startOnFreePort();
  return server;
}

/**
 * One HTTP GET on 127.0.0.1 that resolves true on `expectedStatus` and, if given, a body that
 * `checkBody` accepts (readiness probes).
 */
export function httpProbe(
  port: number,
  requestPath: string,
  expectedStatus = 200,
  checkBody?: (body: string) => boolean,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      // HTTP/1.0: no chunked encoding to undo, and the server closes after the body.
      socket.write(`GET ${requestPath} HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const headerEnd = answer.indexOf('\r\n\r\n');
      const status = answer.slice(0, answer.indexOf('\r\n')).split(' ')[1];
      done(
        headerEnd >= 0 &&
          status === String(expectedStatus) &&
          (checkBody === undefined || checkBody(answer.slice(headerEnd + 4))),
      );
    });
  });
}
