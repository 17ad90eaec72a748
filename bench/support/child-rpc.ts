// Benchmarks run the code they measure in child processes, so CPU time and heap belong to
// that code alone and not to the server or the orchestrator. The parent drives each child
// with small request/reply messages over Node's IPC channel; a child exits when its parent
// goes away, and the parent SIGKILLs whatever is left when it exits.

import { type ChildProcess, fork } from 'node:child_process';

type Handler = (params: never) => unknown;

interface Request {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

type Reply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface ChildHandle {
  readonly name: string;
  readonly pid: number | undefined;
  call<T>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit; SIGKILLs it if it has not within 5 s. */
  close(): Promise<void>;
}

const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Forks `script` with `--expose-gc` and waits until it is ready for calls. With
 * BENCH_CPU_PROF=DIR every child writes a V8 CPU profile (.cpuprofile) into DIR when it exits.
 */
export function startChild(script: URL, name: string): Promise<ChildHandle> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const child = fork(script, [], {
    execArgv: ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exited = `the ${name} child exited (code ${code}, signal ${signal})`;
      for (const waiter of pending.values()) waiter.reject(new Error(exited));
      pending.clear();
      resolve();
    });
  });
  child.on('message', (message: Reply | { ready: true }) => {
    if ('ready' in message) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${name}: ${message.error}`));
  });

  const handle: ChildHandle = {
    name,
    pid: child.pid,
    call<T>(method: string, params: unknown = {}, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
      if (exited) return Promise.reject(new Error(exited));
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: "${method}" got no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, method, params } satisfies Request);
      });
    },
    async close() {
      if (exited) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.disconnect();
      await exit;
      clearTimeout(killer);
    },
  };

  return new Promise((resolve, reject) => {
    const onReady = (message: unknown): void => {
      if (message && typeof message === 'object' && 'ready' in message) {
        child.off('message', onReady);
        resolve(handle);
      }
    };
    child.on('message', onReady);
    void exit.then(() => reject(new Error(exited)));
  });
}

/** In a child: answers the parent's calls with `handlers` and exits when the parent goes away. */
export function serve(handlers: Record<string, Handler>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a benchmark child must be started by startChild (no IPC channel)');
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: Request) => {
    const handler = handlers[message.method];
    const reply = (value: Reply): void => {
      send(value);
    };
    if (!handler) {
      reply({ id: message.id, ok: false, error: `no method "${message.method}"` });
      return;
    }
    Promise.resolve()
      .then(() => (handler as (params: unknown) => unknown)(message.params))
      .then(
        (result) => reply({ id: message.id, ok: true, result: result ?? null }),
        (error: unknown) =>
          reply({
            id: message.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  send({ ready: true });
}
