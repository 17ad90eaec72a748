// Annotray's main process in a child Node process with the stand-in Electron
// (test/support/fake-electron), and the channel to it: what the stand-in reports (windows,
// tray, notifications, IPC) arrives as messages; commands act like a person and the OS.
// By default it runs the source (electron/main.ts); the package test runs a packaged main.js.

import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const APP = 'app://annotray/index.html';

export interface Message {
  readonly kind: string;
  readonly [key: string]: unknown;
}

export interface MainProcessOptions {
  /** The main script; electron/main.ts by default. */
  readonly entry?: string;
  /** The `--import` that installs the stand-in for 'electron'. */
  readonly hooks?: string;
  readonly cwd?: string;
}

export class MainProcess {
  readonly messages: Message[] = [];
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process has ended. */
  readonly exited: Promise<number | null>;
  output = '';
  readonly #waiters = new Set<() => boolean>();
  #nextId = 1;

  constructor(env: Record<string, string>, args: string[] = [], options: MainProcessOptions = {}) {
    this.child = fork(options.entry ?? join(ROOT, 'electron', 'main.ts'), args, {
      cwd: options.cwd ?? ROOT,
      execArgv: [
        '--no-warnings',
        '--import',
        options.hooks ?? join(ROOT, 'test', 'support', 'fake-electron', 'register.mjs'),
      ],
      // No ANNOTRAY_* settings from the developer's own environment.
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANNOTRAY_'))),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.on('message', (m: Message) => {
      this.messages.push(m);
      for (const waiter of [...this.#waiters]) if (waiter()) this.#waiters.delete(waiter);
    });
  }

  all(kind: string): Message[] {
    return this.messages.filter((m) => m.kind === kind);
  }

  /** Waits for a message, failing at once (with the process's output) if the process ends first. */
  async waitWhileRunning(predicate: (m: Message) => boolean, what: string, ms = 8_000): Promise<Message> {
    const ended = this.exited.then((code) => {
      throw new Error(
        `the main process exited (code ${code}) before ${what}\n--- main process output ---\n${this.output.slice(-3000)}`,
      );
    });
    return Promise.race([this.waitFor(predicate, what, ms), ended]);
  }

  waitFor(predicate: (m: Message) => boolean, what: string, ms = 8_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}\n--- main process output ---\n${this.output.slice(-3000)}`,
          ),
        );
      }, ms);
      const check = () => {
        const found = this.messages.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      if (!check()) this.#waiters.add(check);
    });
  }

  async send(command: Record<string, unknown>): Promise<Message> {
    const id = this.#nextId++;
    this.child.send({ ...command, id });
    const reply = await this.waitFor(
      (m) => m.kind === 'reply' && m.id === id,
      `a reply to ${String(command.type)}`,
    );
    if (!reply.ok) throw new Error(String(reply.error));
    return reply;
  }

  invoke(channel: string, request: unknown, url = APP): Promise<Message> {
    return this.send({ type: 'invoke', channel, request, url });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill();
    await this.exited;
  }
}
