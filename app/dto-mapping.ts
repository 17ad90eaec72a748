// Engine state → the plain shapes the window receives (contract/dto.ts).

import type {
  ChannelDto,
  EventDto,
  GapDto,
  PreferencesDto,
  ServerDto,
  SettingsDto,
} from '../contract/dto.ts';
import { serverFieldsSchema } from '../contract/server-schema.ts';
import { DEFAULT_SOCKET_PATH } from '../engine/connection/endpoint.ts';
import type { ChannelStatus } from '../engine/engine.ts';
import type { OcrEvent } from '../engine/events/ocr-event.ts';
import type { Gap } from '../engine/history/channel-history.ts';
import { activeMutes } from '../engine/policy/channel-mute.ts';
import { isQuiet, quietUntil } from '../engine/policy/quiet-hours.ts';
import { activePause, type StoredPreferences, type StoredSettings } from './settings/settings-model.ts';

export function channelDto(status: ChannelStatus): ChannelDto {
  return {
    key: status.key,
    serverId: status.serverId,
    serverName: status.serverName,
    channel: status.channel,
    state: status.state,
    unread: status.unread,
    total: status.total,
    ...(status.lastEventAt !== undefined ? { lastEventAt: status.lastEventAt } : {}),
    ...(status.advice !== undefined ? { advice: status.advice } : {}),
    ...(status.historyProblem !== undefined ? { historyProblem: status.historyProblem } : {}),
  };
}

/** Pretty JSON of the original payload; bounded so one huge event cannot stall the window. */
function payloadText(payload: unknown): string {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  return text.length > 200_000
    ? `${text.slice(0, 200_000)}\n… (${text.length - 200_000} more characters)`
    : text;
}

export function eventDto(event: OcrEvent, unread: boolean): EventDto {
  // Field by field: an engine event words itself through getters, which a spread would skip.
  return {
    id: event.id,
    channelKey: event.channelKey,
    serverId: event.serverId,
    channel: event.channel,
    type: event.type,
    known: event.known,
    title: event.title,
    body: event.body,
    subject: event.subject,
    message: event.message,
    user: event.user,
    taskId: event.taskId,
    projectId: event.projectId,
    documentName: event.documentName,
    progress: event.progress,
    time: event.time,
    receivedAt: event.receivedAt,
    taskUrl: event.taskUrl,
    payloadText: payloadText(event.payload),
    unread,
  };
}

export function gapDto(channelKey: string, gap: Gap): GapDto {
  return {
    id: gap.id,
    channelKey,
    from: gap.from,
    ...(gap.to !== undefined ? { to: gap.to } : {}),
    reason: gap.reason,
    kind: gap.kind ?? 'down',
    count: gap.count ?? 1,
    ...(gap.downMs !== undefined ? { downMs: gap.downMs } : {}),
    resent: gap.resent ?? 0,
  };
}

export function preferencesDto(p: StoredPreferences, now: number): PreferencesDto {
  const until = activePause(p.pausedUntil, now);
  const pause =
    until === 'indefinite'
      ? ({ kind: 'indefinite' } as const)
      : until !== null
        ? ({ kind: 'until', until } as const)
        : ({ kind: 'none' } as const);
  return {
    types: p.types,
    errorsAlwaysNotify: p.errorsAlwaysNotify,
    sound: p.sound,
    pause,
    openAtLogin: p.openAtLogin,
    shortcut: p.shortcut,
    quietHours: p.quietHours,
    quietNow: isQuiet(p.quietHours, now) ? { until: quietUntil(p.quietHours, now) ?? null } : null,
    mutes: Object.entries(activeMutes(p.mutes, now)).map(([channelKey, until]) => ({ channelKey, until })),
    unreachableAlertMinutes: p.unreachableAlertMinutes,
  };
}

export function settingsDto(
  settings: StoredSettings,
  now: number,
  extra: { managedBy?: string; keyringWarning?: string; systemProblems?: readonly string[] } = {},
): SettingsDto {
  const servers: ServerDto[] = settings.servers.map((s) => ({
    // Parsing picks the shared fields: neither the token nor a newer Annotray's keys reach the window.
    ...serverFieldsSchema.parse(s),
    id: s.id,
    transport: s.transport ?? 'sse',
    socketPath: s.socketPath ?? DEFAULT_SOCKET_PATH,
    hasToken: s.token !== undefined,
    ...(s.tokenHint ? { tokenHint: s.tokenHint } : {}),
  }));
  return { servers, preferences: preferencesDto(settings.preferences, now), ...extra };
}
