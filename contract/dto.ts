// The data the window sees: plain, serializable shapes, made by main from the engine's
// state. The renderer depends on these and on nothing of the engine or of Electron.

import type { AuthSchemeChoice, TransportChoice } from './limits.ts';
import type { ServerFields } from './server-schema.ts';

export type ConnectionStateDto =
  /** `attempt`: attempts that failed before this one, so 0 is the first and the person reads attempt + 1. */
  | { readonly kind: 'connecting'; readonly since: number; readonly attempt: number }
  | { readonly kind: 'open'; readonly since: number; readonly awaitingHeaders: boolean }
  | {
      readonly kind: 'reconnecting';
      readonly since: number;
      readonly attempt: number;
      readonly nextAttemptAt: number;
      readonly reason: string;
    }
  | { readonly kind: 'failed'; readonly since: number; readonly failure: string; readonly reason: string }
  | { readonly kind: 'paused'; readonly since: number };

export interface ChannelDto {
  /** `serverId/channel`. */
  readonly key: string;
  readonly serverId: string;
  readonly serverName: string;
  readonly channel: string;
  readonly state: ConnectionStateDto;
  readonly unread: number;
  readonly total: number;
  readonly lastEventAt?: number;
  /** What the admin should fix about this channel's deployment (a proxy cutting quiet streams). */
  readonly advice?: string;
  /** Why the channel's history is not kept on disk, or was reset (see ChannelStatus.historyProblem). */
  readonly historyProblem?: string;
}

export interface ProgressDto {
  readonly ratio?: number;
  readonly done?: number;
  readonly total?: number;
}

export interface EventDto {
  readonly id: string;
  readonly channelKey: string;
  readonly channel: string;
  readonly serverId: string;
  readonly type: string;
  readonly known: boolean;
  readonly title: string;
  readonly body: string;
  readonly subject?: string;
  readonly message?: string;
  readonly user?: string;
  readonly taskId?: number;
  readonly projectId?: number;
  readonly documentName?: string;
  readonly progress?: ProgressDto;
  /** Epoch ms. */
  readonly time: number;
  readonly receivedAt: number;
  readonly taskUrl?: string;
  /** The original payload, pretty-printed JSON text (shown as text, never as HTML). */
  readonly payloadText: string;
  readonly unread: boolean;
}

export interface GapDto {
  readonly id: string;
  readonly channelKey: string;
  readonly from: number;
  /** Absent while still disconnected. */
  readonly to?: number;
  readonly reason: string;
  /** `cut`: a proxy closed the quiet stream; `stall`: a silent connection was replaced; `down`: any other. */
  readonly kind: 'down' | 'cut' | 'stall';
  /** Outages in this row (consecutive cuts or stalls with no event between them). */
  readonly count: number;
  /** For a row of several outages: the time actually unsubscribed, in all. */
  readonly downMs?: number;
  /** Events sent during the gap that arrived after it (the server resent them). */
  readonly resent: number;
}

export type AuthSchemeDto = AuthSchemeChoice;
export type TransportDto = TransportChoice;

/** A server as the window sees it: the shared fields (server-schema.ts) and no token. */
export type ServerDto = Readonly<ServerFields> & {
  /** Main fills in the defaults, so the form shows what is in effect. */
  readonly transport: TransportDto;
  readonly socketPath: string;
  readonly id: string;
  /** Whether a token is stored; the token itself never reaches the window. */
  readonly hasToken: boolean;
  /** Last 4 characters, to tell tokens apart. */
  readonly tokenHint?: string;
};

export type PauseDto =
  | { readonly kind: 'none' }
  | { readonly kind: 'until'; readonly until: number }
  | { readonly kind: 'indefinite' };

/** A weekly quiet-hours schedule; days are 0 (Sunday) … 6 (Saturday). */
export interface QuietHoursDto {
  readonly enabled: boolean;
  /** "HH:MM", local time. */
  readonly from: string;
  readonly to: string;
  /** Days on which the from–to window starts (it may end the next morning). */
  readonly days: readonly number[];
  /** Days that are quiet all day. */
  readonly allDay: readonly number[];
}

export interface ChannelMuteDto {
  readonly channelKey: string;
  /** Epoch ms, or 'indefinite' until unmuted. */
  readonly until: number | 'indefinite';
}

export interface PreferencesDto {
  /** Per event type, plus `other` for types Annotray does not know. */
  readonly types: Readonly<Record<string, boolean>>;
  readonly errorsAlwaysNotify: boolean;
  readonly sound: boolean;
  readonly pause: PauseDto;
  readonly openAtLogin: boolean;
  /** Electron accelerator, e.g. `CommandOrControl+Alt+Shift+N`; empty for none. */
  readonly shortcut: string;
  readonly quietHours: QuietHoursDto;
  /** When quiet hours are on now: when they end (null: they do not end within a week). */
  readonly quietNow: { readonly until: number | null } | null;
  /** Channels muted now (expired mutes are not listed). */
  readonly mutes: readonly ChannelMuteDto[];
  /** Notify when a channel has been unable to connect for this many minutes; null: never. */
  readonly unreachableAlertMinutes: number | null;
}

export interface SettingsDto {
  readonly servers: readonly ServerDto[];
  readonly preferences: PreferencesDto;
  /** Where the settings came from in part, when an admin pre-configured them. */
  readonly managedBy?: string;
  /** Why tokens are not encrypted at rest, when no OS keyring is available. */
  readonly keyringWarning?: string;
  /** What the OS refused, worded for people: notifications it will not show, a shortcut it
   *  will not register. Empty when all is well. */
  readonly systemProblems?: readonly string[];
}

export interface SnapshotDto {
  readonly version: string;
  readonly platform: string;
  /** True while no server is configured and the built-in demo feed is shown. */
  readonly demo: boolean;
  readonly channels: readonly ChannelDto[];
  readonly settings: SettingsDto;
}

export interface EventListDto {
  /** Newest first. */
  readonly events: readonly EventDto[];
  readonly gaps: readonly GapDto[];
}

export type CheckStatusDto = 'ok' | 'warn' | 'fail' | 'skip';

export interface DiagnosisDto {
  readonly url: string;
  readonly verdict: CheckStatusDto;
  readonly checks: readonly {
    readonly id: string;
    readonly status: CheckStatusDto;
    readonly title: string;
    readonly detail: string;
    readonly fix?: string;
  }[];
}

export interface FieldError {
  /** The input field the message belongs to (`url`, `token`, `channels`, …), or `form`. */
  readonly field: string;
  readonly message: string;
}

export type SaveResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export interface NavigateDto {
  readonly channelKey: string | null;
  readonly eventId?: string;
}

export interface ReadStateDto {
  /** null: every channel. */
  readonly channelKey: string | null;
  /** null: all events of the channel(s). */
  readonly eventIds: readonly string[] | null;
}
