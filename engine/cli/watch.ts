// `annotray watch`: the engine in a terminal. Runs until SIGINT/SIGTERM (exit 0) or until
// every channel has failed for a reason retrying cannot fix (exit 3).

import { Engine } from '../engine.ts';
import { FileHistoryStore } from '../history/file-history-store.ts';
import type { Logger } from '../ports.ts';
import type { WatchCommand } from './args.ts';
import { jsonOutput, textOutput } from './watch-output.ts';

export const EXIT_ALL_FAILED = 3;

export interface WatchIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
  /** Resolves when the process is asked to stop (signals). */
  readonly stopRequested: Promise<string>;
}

/** `server/channel` → `channel`. */
function channelName(channelKey: string): string {
  return channelKey.slice(channelKey.indexOf('/') + 1);
}

export async function runWatch(command: WatchCommand, io: WatchIo): Promise<number> {
  const output = command.json ? jsonOutput(io.stdout) : textOutput(io.stdout, io.stderr);
  const engine = new Engine({
    servers: [command.server],
    notifier: { notify: (intent) => output.notification(intent) },
    logger: io.logger,
    ...(command.historyDir
      ? {
          // Unreadable or unwritable files are said through the engine's 'history' event.
          historyStore: new FileHistoryStore(command.historyDir, { logger: io.logger }),
        }
      : {}),
  });

  let allFailed: () => void = () => {};
  const failed = new Promise<void>((resolve) => {
    allFailed = resolve;
  });
  engine.on('event', ({ event }) => output.event(event));
  engine.on('gap', ({ channelKey, gap }) => output.gap(channelName(channelKey), gap));
  engine.on('advice', ({ channelKey, text }) => output.advice(channelName(channelKey), text));
  engine.on('history', ({ channelKey, problem }) => output.history(channelName(channelKey), problem));
  engine.on('replaced', ({ channelKey, silentSince, at }) =>
    output.replaced(channelName(channelKey), silentSince, at),
  );
  engine.on('malformed', ({ channelKey, reason }) => output.malformed(channelName(channelKey), reason));
  const lastStates = new Map<string, string>();
  engine.on('channel', (status) => {
    // Unread counts change with every event; print only real state changes.
    const signature = JSON.stringify(status.state);
    if (lastStates.get(status.key) === signature) return;
    lastStates.set(status.key, signature);
    output.status(status);
    const channels = engine.channels();
    if (channels.length > 0 && channels.every((c) => c.state.kind === 'failed')) allFailed();
  });

  engine.start();
  const outcome = await Promise.race([
    io.stopRequested.then(() => 'stopped' as const),
    failed.then(() => 'failed' as const),
  ]);
  await engine.stop();
  if (outcome === 'failed') {
    io.stderr('every channel failed for a reason retrying cannot fix; see the reasons above\n');
    return EXIT_ALL_FAILED;
  }
  return 0;
}
