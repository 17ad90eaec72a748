// What the window asks of the event list: list a channel (or all), mark events read, and open
// a task in the browser, which only ever opens a URL on a configured server (url-guard.ts).

import type { EventListDto } from '../../contract/dto.ts';
import type { PushChannel, PushPayloads } from '../../contract/ipc-contract.ts';
import type { Engine } from '../../engine/engine.ts';
import { listEvents } from '../event-list.ts';
import type { RequestHandlers } from './request-handlers.ts';

export interface EventRequestsContext {
  readonly engine: () => Engine | undefined;
  readonly push: <C extends PushChannel>(channel: C, payload: PushPayloads[C]) => void;
  /** Something the tray shows changed (unread counts). */
  readonly changed: () => void;
  readonly openTask: (url: string) => Promise<{ opened: boolean; reason?: string }>;
}

export function listChannelEvents(engine: Engine | undefined, channelKey: string | null): EventListDto {
  return engine ? listEvents(engine, channelKey) : { events: [], gaps: [] };
}

/** Marks events read and tells the window; returns how many were unread. */
export function markRead(context: EventRequestsContext, channelKey: string, eventIds: string[]): number {
  const changed = context.engine()?.markRead(channelKey, eventIds) ?? 0;
  if (changed > 0) context.push('push:readState', { channelKey, eventIds });
  return changed;
}

/** Marks one channel, or every channel (null), read and tells the window and the tray. */
export function markAllRead(context: EventRequestsContext, channelKey: string | null): number {
  const changed = context.engine()?.markAllRead(channelKey ?? undefined) ?? 0;
  if (changed > 0) context.push('push:readState', { channelKey, eventIds: null });
  context.changed();
  return changed;
}

export function eventRequests(
  context: EventRequestsContext,
): RequestHandlers<'events:list' | 'events:markRead' | 'events:markAllRead' | 'task:open'> {
  return {
    'events:list': async ({ channelKey }) => listChannelEvents(context.engine(), channelKey),
    'events:markRead': async ({ channelKey, eventIds }) => {
      const changed = markRead(context, channelKey, eventIds);
      context.changed();
      return { changed };
    },
    'events:markAllRead': async ({ channelKey }) => ({ changed: markAllRead(context, channelKey) }),
    'task:open': async ({ url }) => context.openTask(url),
  };
}
