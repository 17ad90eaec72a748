// Full histories on disk for the start-up benchmarks: for each channel, the snapshot a run of
// Annotray leaves behind once the channel has kept its 10,000 events (written by the real
// FileHistoryStore from events the real normalizer built, so loading them is what the app
// and `watch --history` do after a busy week).

import { type CompactStoredEvent, type LiveEvent, normalizeFrame } from '../../engine/events/normalize.ts';
import { DEFAULT_TASK_URL } from '../../engine/events/task-link.ts';
import { FileHistoryStore } from '../../engine/history/file-history-store.ts';
import { ocrContext } from './bench-server.ts';

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function naiveIso(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`
  );
}

/**
 * Writes a full history (`events` events over the last week, the newest 50 unread, a few
 * gaps) for each of `channels` of server `serverId`. Returns the bytes written.
 */
export async function writeFullHistories(
  dir: string,
  serverId: string,
  serverUrl: string,
  channels: readonly string[],
  events: number,
): Promise<number> {
  const store = new FileHistoryStore(dir);
  const now = Date.now();
  let bytes = 0;
  for (const [c, channel] of channels.entries()) {
    const list: CompactStoredEvent[] = [];
    // As ChannelHistory.snapshot() writes them: the names said once, by the snapshot.
    const names = { channelKey: `${serverId}/${channel}`, serverId, channel };
    for (let i = 0; i < events; i += 1) {
      const at = now - 7 * DAY_MS + Math.floor((i / events) * 7 * DAY_MS);
      // Unique content per channel and event, as a real server's would be.
      const data = JSON.stringify({ ...ocrContext(c * events + i), message_time: naiveIso(at) });
      const result = normalizeFrame(
        { data },
        { serverId, serverUrl, channel, taskUrlTemplate: DEFAULT_TASK_URL, receivedAt: at },
      );
      if (!result.ok) throw new Error(result.reason);
      list.push((result.event as LiveEvent).stored(names));
    }
    const gaps = [1, 3, 5].map((d) => ({
      id: `${now - d * DAY_MS}-${d}`,
      from: now - d * DAY_MS,
      to: now - d * DAY_MS + 60_000,
      reason: 'the proxy answered 502: the server behind it is down or restarting',
    }));
    const snapshot = {
      version: 2 as const,
      channelKey: `${serverId}/${channel}`,
      names: { serverId, channel },
      events: list,
      unread: list.slice(-50).map((e) => e.id),
      gaps,
    };
    await store.save(snapshot.channelKey, snapshot);
    bytes += JSON.stringify(snapshot).length;
  }
  return bytes;
}
