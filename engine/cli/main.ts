// `annotray` command entry: parses arguments, wires signals and stdout, runs a command and
// returns its exit code. bin/annotray.js calls `main`; tests can too.

import { readFileSync } from 'node:fs';
import type { Logger, LogLevel } from '../ports.ts';
import { asUsageError, parseCommand, USAGE } from './args.ts';
import { runDoctorCommand } from './doctor-command.ts';
import { runWatch } from './watch.ts';

export const EXIT_USAGE = 2;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function stderrLogger(verbose: boolean): Logger {
  const levels: readonly LogLevel[] = verbose ? ['debug', 'info', 'warn', 'error'] : ['error'];
  return {
    log(level, message, fields) {
      if (!levels.includes(level)) return;
      const extra = fields ? ` ${JSON.stringify(fields)}` : '';
      process.stderr.write(`[${new Date().toISOString()}] ${level} ${message}${extra}\n`);
    },
  };
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

/** stdout closed early (`annotray watch | head`): stop quietly instead of throwing EPIPE. */
function writer(stream: NodeJS.WriteStream, onClosed: () => void): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      closed = true;
      onClosed();
    }
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv);
  } catch (error) {
    const usage = asUsageError(error);
    if (!usage) throw error;
    process.stderr.write(`annotray: ${usage.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command.command === 'version') {
    process.stdout.write(`annotray ${version()}\n`);
    return 0;
  }
  let pipeClosed: (reason: string) => void = () => {};
  const stdoutClosed = new Promise<string>((resolve) => {
    pipeClosed = resolve;
  });
  const stdout = writer(process.stdout, () => pipeClosed('EPIPE'));
  const stderr = (text: string) => process.stderr.write(text);
  const logger = stderrLogger(command.verbose);
  try {
    if (command.command === 'doctor') return await runDoctorCommand(command, { stdout, stderr });
    return await runWatch(command, {
      stdout,
      stderr,
      logger,
      stopRequested: Promise.race([stopSignal(), stdoutClosed]),
    });
  } catch (error) {
    const usage = asUsageError(error);
    if (!usage) throw error;
    process.stderr.write(`annotray: ${usage.message}\n`);
    return EXIT_USAGE;
  }
}
