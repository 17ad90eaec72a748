// A stand-in for the preload's `window.annotray` in component and store tests: answers
// invokes from per-channel handlers, records them, and lets a test push as main would.

import type {
  ChannelDto,
  ConnectionStateDto,
  EventDto,
  GapDto,
  SettingsDto,
  SnapshotDto,
} from '../../../contract/dto.ts';
import type {
  AnnotrayApi,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  PushChannel,
  PushPayloads,
} from '../../../contract/ipc-contract.ts';

type Handler<C extends InvokeChannel> = (
  request: InvokeRequest<C>,
) => InvokeResponse<C> | Promise<InvokeResponse<C>>;
type Handlers = { [C in InvokeChannel]?: Handler<C> };

export class FakeBridge implements AnnotrayApi {
  readonly calls: { channel: InvokeChannel; request: unknown }[] = [];
  readonly handlers: Handlers;
  readonly #listeners = new Map<PushChannel, Set<(payload: never) => void>>();

  constructor(handlers: Handlers = {}) {
    this.handlers = handlers;
  }

  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    this.calls.push({ channel, request });
    const handler = this.handlers[channel] as Handler<C> | undefined;
    if (!handler) return Promise.reject(new Error(`the fake bridge has no answer for ${channel}`));
    return Promise.resolve().then(() => handler(request));
  }

  on<C extends PushChannel>(channel: C, listener: (payload: PushPayloads[C]) => void): () => void {
    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  push<C extends PushChannel>(channel: C, payload: PushPayloads[C]): void {
    for (const listener of [...(this.#listeners.get(channel) ?? [])])
      (listener as (p: PushPayloads[C]) => void)(payload);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

export const NOW = new Date(2026, 10, 23, 10, 30, 0).getTime();

export const OPEN: ConnectionStateDto = { kind: 'open', since: NOW - 60_000, awaitingHeaders: false };

export function channel(name: string, extra: Partial<ChannelDto> = {}): ChannelDto {
  return {
    key: `ls/${name}`,
    serverId: 'ls',
    serverName: 'Label Studio',
    channel: name,
    state: OPEN,
    unread: 0,
    total: 0,
    ...extra,
  };
}

let sequence = 0;

export function event(extra: Partial<EventDto> = {}): EventDto {
  sequence += 1;
  const taskId = extra.taskId ?? sequence;
  return {
    id: `e${sequence}`,
    channelKey: 'ls/user_42',
    channel: 'user_42',
    serverId: 'ls',
    type: 'ocr.task.assigned',
    known: true,
    title: `Task ${taskId} assigned`,
    body: '',
    taskId,
    projectId: 1,
    time: NOW - sequence * 60_000,
    receivedAt: NOW - sequence * 60_000,
    taskUrl: `https://ls.example.com/projects/1/data?task=${taskId}`,
    payloadText: JSON.stringify({ event_type: extra.type ?? 'ocr.task.assigned', task_id: taskId }, null, 2),
    unread: true,
    ...extra,
  };
}

export function gap(extra: Partial<GapDto> = {}): GapDto {
  return {
    id: 'g1',
    channelKey: 'ls/user_42',
    from: NOW - 30 * 60_000,
    to: NOW - 25 * 60_000,
    reason: 'the stream ended',
    kind: 'down',
    count: 1,
    resent: 0,
    ...extra,
  };
}

export function settings(extra: Partial<SettingsDto> = {}): SettingsDto {
  return {
    servers: [
      {
        id: 'ls',
        name: 'Label Studio',
        url: 'https://ls.example.com',
        eventsPath: '/api/notifications/events/{channel}',
        taskUrl: '{server}/projects/{project_id}/data?task={task_id}',
        channels: ['user_42'],
        transport: 'sse',
        socketPath: '/ws/notifications/',
        authScheme: 'auto',
        hasToken: true,
        tokenHint: 'wxyz',
        idleRefreshSeconds: 300,
      },
    ],
    preferences: {
      types: {
        'ocr.task.assigned': true,
        'ocr.annotation.started': true,
        'ocr.annotation.completed': true,
        'ocr.batch.processed': true,
        'ocr.error.occurred': true,
        other: true,
      },
      errorsAlwaysNotify: true,
      sound: true,
      pause: { kind: 'none' },
      openAtLogin: false,
      shortcut: 'CommandOrControl+Shift+A',
      quietHours: { enabled: false, from: '18:00', to: '08:00', days: [1, 2, 3, 4, 5], allDay: [0, 6] },
      quietNow: null,
      mutes: [],
      unreachableAlertMinutes: 2,
    },
    ...extra,
  };
}

export function snapshot(extra: Partial<SnapshotDto> = {}): SnapshotDto {
  return {
    version: '0.1.0',
    platform: 'linux',
    demo: false,
    channels: [channel('user_42')],
    settings: settings(),
    ...extra,
  };
}

/** A bridge answering the first snapshot and list with the given data. */
export function bridgeWith(data: {
  snapshot?: SnapshotDto;
  events?: readonly EventDto[];
  gaps?: readonly GapDto[];
}): FakeBridge {
  return new FakeBridge({
    'app:snapshot': () => data.snapshot ?? snapshot(),
    'events:list': ({ channelKey }) => ({
      events: (data.events ?? []).filter((e) => channelKey === null || e.channelKey === channelKey),
      gaps: (data.gaps ?? []).filter((g) => channelKey === null || g.channelKey === channelKey),
    }),
  });
}

/** Lets pending promises and their follow-ups run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 0));
}
