// Runs `annotray` as a child process, the way a person or a script would, and collects its
// JSON lines so tests can wait for what it prints.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/annotray.js', import.meta.url));

export type JsonLine = Record<string, unknown> & { kind: string };

export interface CliRun {
  readonly child: ChildProcess;
  readonly lines: JsonLine[];
  readonly stderr: () => string;
  /** Waits until a line matches (checking lines already printed first). */
  waitFor(predicate: (line: JsonLine) => boolean, timeoutMs?: number, what?: string): Promise<JsonLine>;
  /** Waits until a line printed after `after` matches. */
  waitForAfter(
    after: JsonLine,
    predicate: (line: JsonLine) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<JsonLine>;
  /** Lines of one kind, optionally for one channel. */
  of(kind: string, channel?: string): JsonLine[];
  events(channel?: string): JsonLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: JsonLine[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let errText = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.trim()) {
        try {
          lines.push(JSON.parse(text) as JsonLine);
        } catch {
          lines.push({ kind: 'text', text });
        }
      }
      nl = buffer.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errText += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  const of = (kind: string, channel?: string) =>
    lines.filter((l) => l.kind === kind && (channel === undefined || l.channel === channel));
  return {
    child,
    lines,
    stderr: () => errText,
    of,
    events: (channel) => of('event', channel),
    exited,
    waitFor(predicate, timeoutMs = 15_000, what = 'a matching line') {
      return new Promise((resolve, reject) => {
        let index = 0;
        const check = () => {
          for (; index < lines.length; index += 1) {
            const line = lines[index];
            if (line && predicate(line)) {
              cleanup();
              resolve(line);
              return;
            }
          }
          if (child.exitCode !== null) {
            cleanup();
            reject(
              new Error(
                `annotray exited (${child.exitCode}) before ${what}\nstdout: ${JSON.stringify(lines)}\nstderr: ${errText}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out waiting for ${what}\nstdout: ${JSON.stringify(lines.slice(-20))}\nstderr: ${errText.slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    waitForAfter(after, predicate, timeoutMs, what) {
      const start = lines.indexOf(after);
      return this.waitFor((line) => lines.indexOf(line) > start && predicate(line), timeoutMs, what);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const { code } = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
