// Everything the Annotray app does between the engine and the window, with no Electron in
// it: settings, demo mode, the handlers of every IPC request, batched pushes to the window,
// and what a notification click does. electron/main.ts plugs Electron in through the ports;
// the renderer's end-to-end tests plug a browser in through the same handlers.

import type { ChannelDto, SettingsDto } from '../contract/dto.ts';
import {
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  isInvokeChannel,
  type PushChannel,
  type PushPayloads,
  parseRequest,
} from '../contract/ipc-contract.ts';
import type { ServerConfig } from '../engine/config/server-config.ts';
import { authFromToken } from '../engine/connection/auth.ts';
import type { DoctorReport, runDoctor } from '../engine/doctor/doctor.ts';
import { type ChannelStatus, Engine } from '../engine/engine.ts';
import { activeMutes, type MuteChoice, type MuteUntil } from '../engine/policy/channel-mute.ts';
import type { NotificationAction, NotificationIntent } from '../engine/policy/notification-intent.ts';
import { isQuiet, nextQuietStart, quietUntil } from '../engine/policy/quiet-hours.ts';
import {
  type Clock,
  type HistoryStore,
  type Logger,
  type Notifier,
  silentLogger,
  systemClock,
  type TimerHandle,
} from '../engine/ports.ts';
import { channelDto, eventDto, gapDto, settingsDto } from './dto-mapping.ts';
import { type EventRequestsContext, eventRequests, markAllRead, markRead } from './ipc/event-requests.ts';
import {
  muteChannel,
  type PauseKind,
  type PreferenceRequestsContext,
  pauseNotifications,
  preferenceRequests,
} from './ipc/preference-requests.ts';
import type { RequestHandlers } from './ipc/request-handlers.ts';
import { serverRequests } from './ipc/server-requests.ts';
import { activateNotification } from './notifications/notification-click.ts';
import { PushBatcher } from './push-batcher.ts';
import {
  activePause,
  type StoredPreferences,
  type StoredSettings,
  type TokenVault,
  toEnginePreferences,
  toServerConfig,
} from './settings/settings-model.ts';
import { allowedOrigins, checkExternalUrl } from './url-guard.ts';

export const DEMO_SERVER_ID = 'demo';

export interface SettingsRepository {
  load(): StoredSettings;
  save(settings: StoredSettings): void;
}

/** The built-in demo feed: a local SSE server speaking Label Studio's wire format. */
export interface DemoFeed {
  start(): Promise<{ readonly url: string; readonly channel: string }>;
  stop(): Promise<void>;
}

export interface AppCoreOptions {
  readonly settings: SettingsRepository;
  readonly vault: TokenVault;
  /** Shows a notification (Electron's Notification in the app). */
  readonly notifier: Notifier;
  /** Opens a URL in the default browser; only called with URLs that passed the guard. */
  readonly openExternal: (url: string) => Promise<void>;
  /** Sends a message to the window, if one is open. */
  readonly push: <C extends PushChannel>(channel: C, payload: PushPayloads[C]) => void;
  /** Brings the window forward (a notification without a task was clicked). */
  readonly showWindow?: () => void;
  readonly demo?: DemoFeed;
  readonly historyStore?: HistoryStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly version: string;
  readonly platform: string;
  readonly managedBy?: string;
  /** Applies OS-level preferences; returns an error message when one cannot be applied. */
  readonly system?: {
    setOpenAtLogin?(enabled: boolean): string | undefined;
    setShortcut?(accelerator: string): string | undefined;
  };
  readonly diagnose?: (options: Parameters<typeof runDoctor>[0]) => Promise<DoctorReport>;
}

export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

export class AppCore {
  readonly #options: AppCoreOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #settings: StoredSettings;
  readonly #systemProblems = new Map<string, string>();
  #engine: Engine | undefined;
  #demo: { url: string; channel: string } | undefined;
  /** Wakes at the next quiet-hours boundary or mute expiry, so the window and tray follow. */
  #quietTimer: TimerHandle | undefined;
  readonly #pushes: PushBatcher;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void)[] = [];
  /** The last (re)start of the engine: they run one after another, each on the newest settings. */
  #applying: Promise<void> = Promise.resolve();

  constructor(options: AppCoreOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#settings = options.settings.load();
    [this.#events, this.#preferences] = this.#contexts();
    this.#handlers = this.#createHandlers();
    this.#pushes = new PushBatcher({
      clock: this.#clock,
      pushEvents: (batch) => this.#options.push('push:events', batch),
      pushChannels: () => {
        this.#options.push('push:channels', this.#channelDtos());
        this.#changed();
      },
    });
  }

  get demo(): boolean {
    return this.#demo !== undefined;
  }

  get settings(): StoredSettings {
    return this.#settings;
  }

  /** Starts the engine on the configured servers, or on the demo feed when there are none. */
  async start(): Promise<void> {
    await this.#applyServers();
    this.#armQuietTimer();
  }

  async stop(): Promise<void> {
    this.#pushes.stop();
    if (this.#quietTimer !== undefined) this.#clock.clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
    await this.#engine?.stop();
    this.#engine = undefined;
    if (this.#demo) await this.#options.demo?.stop();
    this.#demo = undefined;
  }

  /** What the OS refused (`notifications`, `shortcut`), or undefined once it works again:
   *  shown in Settings, so a missing notification or shortcut is explained, not silent. */
  reportSystemProblem(area: 'notifications' | 'shortcut', problem: string | undefined): void {
    if (this.#systemProblems.get(area) === problem) return;
    if (problem === undefined) this.#systemProblems.delete(area);
    else this.#systemProblems.set(area, problem);
    this.#options.push('push:settings', this.#settingsDto());
  }

  /** Called on every change the tray may want to show (states, unread counts, pause). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  channels(): ChannelStatus[] {
    return this.#engine?.channels() ?? [];
  }

  get pause(): StoredPreferences['pausedUntil'] {
    return activePause(this.#settings.preferences.pausedUntil, this.#clock.now());
  }

  /** When quiet hours are on now: when they end (null: not within a week); undefined when off. */
  get quietUntil(): number | null | undefined {
    const q = this.#settings.preferences.quietHours;
    const now = this.#clock.now();
    return isQuiet(q, now) ? (quietUntil(q, now) ?? null) : undefined;
  }

  /** Channels muted now, and until when. */
  get mutes(): Readonly<Record<string, MuteUntil>> {
    return activeMutes(this.#settings.preferences.mutes, this.#clock.now());
  }

  /**
   * One request from a trusted caller (main, tests), typed by its channel: validated exactly as
   * a window request is, answered without a cast.
   */
  request<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    return this.handle(channel, request) as Promise<InvokeResponse<C>>;
  }

  /** Validates and answers one request from the window. */
  async handle(channel: unknown, request: unknown): Promise<unknown> {
    if (!isInvokeChannel(channel)) {
      throw new InvalidRequestError(`unknown request ${String(channel).slice(0, 60)}`);
    }
    const parsed = parseRequest(channel, request);
    if (!parsed.ok) throw new InvalidRequestError(`invalid ${channel} request: ${parsed.error}`);
    const handler = this.#handlers[channel] as (r: unknown) => Promise<unknown>;
    return handler(parsed.value);
  }

  /** A notification was clicked, or one of its buttons ("Open task", "Mark read") pressed. */
  activate(intent: NotificationIntent, action?: NotificationAction): Promise<void> {
    return activateNotification(
      {
        markRead: (channelKey, eventIds) => markRead(this.#events, channelKey, eventIds),
        openTask: (url) => this.#openTask(url),
        ...(this.#options.showWindow ? { showWindow: this.#options.showWindow } : {}),
        push: (channel, payload) => this.#options.push(channel, payload),
        logger: this.#logger,
      },
      intent,
      action,
    );
  }

  pauseNotifications(kind: PauseKind): SettingsDto {
    return pauseNotifications(this.#preferences, kind);
  }

  /** Mutes one channel (its events are listed, not notified) for a while, or unmutes it. */
  muteChannel(channelKey: string, mute: MuteChoice | 'unmute'): SettingsDto {
    return muteChannel(this.#preferences, channelKey, mute);
  }

  /** Reconnects every channel now, failed ones included; returns how many. */
  retryAllChannels(reason: string): number {
    const channels = this.channels();
    for (const c of channels) this.#engine?.reconnect(c.key, reason);
    return channels.length;
  }

  /** The computer is going to sleep: the engine closes its connections and records the gap. */
  suspend(reason: string): void {
    this.#engine?.suspend(reason);
    this.#logger.log('info', 'suspended', { reason });
  }

  /**
   * The computer woke up, the screen was unlocked or the network came back: reconnect, and
   * replace every open connection, which may have died silently meanwhile.
   */
  resume(reason: string): number {
    this.#logger.log('info', 'reconnecting every channel', { reason });
    const channels = this.channels();
    this.#engine?.resume(reason);
    // Failed channels are tried again too: a captive portal or a VPN that was down may be gone.
    for (const c of channels) if (c.state.kind === 'failed') this.#engine?.reconnect(c.key, reason);
    return channels.length;
  }

  markAllRead(channelKey: string | null): number {
    return markAllRead(this.#events, channelKey);
  }

  readonly #events: EventRequestsContext;
  readonly #preferences: PreferenceRequestsContext;
  readonly #handlers: RequestHandlers;

  #contexts(): [EventRequestsContext, PreferenceRequestsContext] {
    const events: EventRequestsContext = {
      engine: () => this.#engine,
      push: (channel, payload) => this.#options.push(channel, payload),
      changed: () => this.#changed(),
      openTask: (url) => this.#openTask(url),
    };
    const preferences: PreferenceRequestsContext = {
      settings: () => this.#settings,
      savePreferences: (preferences) => this.#savePreferences(preferences),
      settingsDto: () => this.#settingsDto(),
      now: () => this.#clock.now(),
      ...(this.#options.system ? { system: this.#options.system } : {}),
      shortcutWorks: () => this.reportSystemProblem('shortcut', undefined),
    };
    return [events, preferences];
  }

  /** Every request the window may make, by area (app/ipc/*-requests.ts); the type says none is missing. */
  #createHandlers(): RequestHandlers {
    return {
      'app:snapshot': async () => ({
        version: this.#options.version,
        platform: this.#options.platform,
        demo: this.demo,
        channels: this.#channelDtos(),
        settings: this.#settingsDto(),
      }),
      'channels:reconnect': async ({ channelKey }) => {
        if (channelKey === null) return { reconnecting: this.retryAllChannels('asked by the user') };
        return { reconnecting: this.#engine?.reconnect(channelKey, 'asked by the user') ? 1 : 0 };
      },
      ...eventRequests(this.#events),
      ...serverRequests({
        settings: () => this.#settings,
        save: (settings) => this.#save(settings),
        applyServers: () => this.#applyServers(),
        settingsDto: () => this.#settingsDto(),
        vault: this.#options.vault,
        ...(this.#options.diagnose ? { diagnose: this.#options.diagnose } : {}),
      }),
      ...preferenceRequests(this.#preferences),
    };
  }

  async #openTask(url: string): Promise<{ opened: boolean; reason?: string }> {
    const servers = this.#demo
      ? [{ url: this.#demo.url, taskUrl: '{server}/projects/{project_id}/data?task={task_id}' }]
      : this.#settings.servers;
    const check = checkExternalUrl(url, allowedOrigins(servers));
    if (!check.ok) return { opened: false, reason: check.reason };
    await this.#options.openExternal(check.url);
    return { opened: true };
  }

  #channelDtos(): ChannelDto[] {
    return (this.#engine?.channels() ?? []).map(channelDto);
  }

  #settingsDto(): SettingsDto {
    const keyringWarning = this.#options.vault.available
      ? undefined
      : 'No OS keyring is available: tokens are stored unencrypted in the settings file. Install and unlock a keyring (e.g. gnome-keyring) to encrypt them.';
    return settingsDto(this.#settings, this.#clock.now(), {
      ...(this.#options.managedBy ? { managedBy: this.#options.managedBy } : {}),
      ...(keyringWarning ? { keyringWarning } : {}),
      ...(this.#systemProblems.size > 0 ? { systemProblems: [...this.#systemProblems.values()] } : {}),
    });
  }

  #save(settings: StoredSettings): void {
    this.#settings = settings;
    this.#options.settings.save(settings);
    this.#options.push('push:settings', this.#settingsDto());
    this.#changed();
  }

  /** Pushes the settings again when quiet hours start or end or a mute runs out. */
  #armQuietTimer(): void {
    if (this.#quietTimer !== undefined) this.#clock.clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
    const now = this.#clock.now();
    const p = this.#settings.preferences;
    const moments = [
      quietUntil(p.quietHours, now),
      nextQuietStart(p.quietHours, now),
      ...Object.values(activeMutes(p.mutes, now)).filter((u): u is number => typeof u === 'number'),
    ].filter((t): t is number => t !== undefined && t > now);
    if (moments.length === 0) return;
    // setTimeout holds at most ~24.8 days; boundaries are within a week.
    const delay = Math.min(Math.min(...moments) - now + 500, 2_000_000_000);
    this.#quietTimer = this.#clock.setTimeout(() => {
      this.#quietTimer = undefined;
      this.#options.push('push:settings', this.#settingsDto());
      this.#changed();
      this.#armQuietTimer();
    }, delay);
    this.#quietTimer.unref?.();
  }

  #savePreferences(preferences: StoredPreferences): void {
    this.#save({ ...this.#settings, preferences });
    this.#engine?.setPreferences(toEnginePreferences(preferences));
    this.#armQuietTimer();
  }

  /**
   * (Re)starts the engine for the current servers, switching demo mode on or off. Queued:
   * decrypting tokens takes a moment, and a save made meanwhile must not be overtaken by an
   * older one finishing later.
   */
  #applyServers(): Promise<void> {
    const applied = this.#applying.then(() => this.#applyCurrentServers());
    this.#applying = applied.catch(() => {});
    return applied;
  }

  async #applyCurrentServers(): Promise<void> {
    const configs: ServerConfig[] = await Promise.all(
      this.#settings.servers.map((s) => toServerConfig(s, this.#options.vault)),
    );
    const wantDemo = configs.length === 0 && this.#options.demo !== undefined;
    if (!wantDemo && this.#demo) {
      await this.#engine?.stop();
      this.#engine = undefined;
      await this.#options.demo?.stop();
      this.#demo = undefined;
    }
    if (wantDemo && !this.#demo) {
      await this.#engine?.stop();
      this.#engine = undefined;
      this.#demo = await this.#options.demo?.start();
    }
    const servers: ServerConfig[] =
      wantDemo && this.#demo
        ? [
            {
              id: DEMO_SERVER_ID,
              name: 'Demo',
              url: this.#demo.url,
              auth: authFromToken(undefined),
              channels: [this.#demo.channel],
            },
          ]
        : configs;
    if (this.#engine) {
      this.#engine.updateServers(servers);
    } else {
      this.#engine = this.#createEngine(servers);
      this.#engine.start();
    }
    this.#pushes.channelsChanged();
    this.#changed();
  }

  #createEngine(servers: readonly ServerConfig[]): Engine {
    for (const off of this.#unsubscribe) off();
    const engine = new Engine({
      servers,
      notifier: this.#options.notifier,
      preferences: toEnginePreferences(this.#settings.preferences),
      clock: this.#clock,
      logger: this.#logger,
      ...(this.#options.historyStore ? { historyStore: this.#options.historyStore } : {}),
    });
    this.#unsubscribe = [
      engine.on('event', ({ event }) => {
        this.#pushes.event(eventDto(event, true));
      }),
      engine.on('channel', () => this.#pushes.channelsChanged()),
      engine.on('gap', ({ channelKey, gap }) => this.#options.push('push:gap', gapDto(channelKey, gap))),
    ];
    return engine;
  }

  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        this.#logger.log('error', 'a change listener threw', { error: String(error) });
      }
    }
  }
}
