// The Annotray engine: follows every configured channel, turns frames into events, drops
// duplicates, keeps history and gaps, and asks the Notifier to show what deserves it.
// No Electron and no DOM: the app, the CLI and the tests all drive this same class.

import type { ResolvedServer, ServerConfig } from './config/server-config.ts';
import { resolveServer } from './config/server-config.ts';
import type { AttemptFactory } from './connection/attempt.ts';
import { Authorizer } from './connection/auth.ts';
import { ChannelConnection, type ConnectionTuning, DEFAULT_TUNING } from './connection/channel-connection.ts';
import type { ChannelState } from './connection/channel-state.ts';
import { MAX_LAST_EVENT_ID_CHARS } from './connection/subscription.ts';
import { WsSubscription } from './connection/ws-subscription.ts';
import { Emitter } from './emitter.ts';
import { SeenSet } from './events/dedupe.ts';
import { type FrameContext, normalizeFrame, type RawFrame } from './events/normalize.ts';
import type { OcrEvent } from './events/ocr-event.ts';
import { formatDuration } from './format/duration.ts';
import type { Gap, HistoryLimits, HistoryRecord } from './history/channel-history.ts';
import { HistoryKeeper } from './history/history-keeper.ts';
import { ConnectionAlerts } from './policy/connection-alerts.ts';
import { NotificationPolicy, type PolicyDecision } from './policy/notification-policy.ts';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from './policy/preferences.ts';
import {
  type Clock,
  type HistoryStore,
  type Logger,
  type Notifier,
  type Random,
  silentLogger,
  systemClock,
  type TimerHandle,
} from './ports.ts';

export interface ChannelStatus {
  readonly key: string;
  readonly serverId: string;
  readonly serverName: string;
  readonly channel: string;
  readonly url: string;
  readonly state: ChannelState;
  readonly unread: number;
  readonly total: number;
  readonly lastEventAt?: number;
  /** What the admin should fix about this channel's deployment (a proxy cutting quiet streams). */
  readonly advice?: string;
  /** Why this channel's history is not being kept on disk (or was reset), in words for the user. */
  readonly historyProblem?: string;
  readonly counts: {
    readonly events: number;
    readonly duplicates: number;
    readonly malformed: number;
    readonly reconnects: number;
  };
}

export interface EngineEvents extends Record<string, unknown> {
  event: { event: OcrEvent; decision: PolicyDecision };
  channel: ChannelStatus;
  gap: { channelKey: string; gap: Gap };
  malformed: { channelKey: string; reason: string };
  duplicate: { channelKey: string; eventId: string };
  /** A silent connection was replaced (see ConnectionEvents.replaced). */
  replaced: { channelKey: string; silentSince: number; at: number };
  /** Said once per cause: see ConnectionEvents.advice. */
  advice: { channelKey: string; text: string };
  /** A channel's stored history has a problem (`problem`), or no longer has one (undefined). */
  history: { channelKey: string; problem: string | undefined };
}

export interface EngineOptions {
  readonly servers: readonly ServerConfig[];
  readonly notifier: Notifier;
  readonly preferences?: NotificationPreferences;
  readonly historyStore?: HistoryStore;
  readonly historyLimits?: HistoryLimits;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly tuning?: Partial<ConnectionTuning>;
  /** Tests replace the network attempt; the app and CLI never set this. */
  readonly createSubscription?: AttemptFactory;
}

const COUNTS_INTERVAL_MS = 50;
/**
 * How many frames a channel holds while its stored history is read (a server replaying a long
 * backlog after `Last-Event-ID` may send more): past this it stops listening until then.
 */
const MAX_FRAMES_BEFORE_HISTORY = 10_000;

interface ChannelEntry {
  readonly key: string;
  /** Replaced when only the name changed (the connection stays). */
  server: ResolvedServer;
  readonly channel: string;
  readonly url: URL;
  readonly connection: ChannelConnection;
  readonly counts: { events: number; duplicates: number; malformed: number };
  lastEventAt?: number;
  /**
   * Frames that arrived before the channel's stored history was read: held (bounded) so a
   * server replaying what the last run already showed does not notify it again.
   */
  framesBeforeHistory: { frame: RawFrame; receivedAt: number }[] | undefined;
  /**
   * Set when the held frames reached MAX_FRAMES_BEFORE_HISTORY and the connection was closed
   * (`at`), after being subscribed since `subscribedSince`; it reopens once the history is read.
   */
  heldBack: { at: number; subscribedSince: number | undefined } | undefined;
  /** What normalizeFrame needs about this channel, reused for every frame (receivedAt set each time). */
  readonly frameContext: { -readonly [K in keyof FrameContext]: FrameContext[K] };
}

export class Engine {
  readonly #emitter: Emitter<EngineEvents>;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #options: EngineOptions;
  readonly #policy: NotificationPolicy;
  readonly #alerts: ConnectionAlerts;
  readonly #history: HistoryKeeper;
  readonly #channels = new Map<string, ChannelEntry>();
  readonly #seen = new Map<string, SeenSet>();
  #servers: ResolvedServer[] = [];
  #started = false;
  /** Channels whose counts changed since the last 'channel' emission (coalesced per tick). */
  readonly #countsChanged = new Set<ChannelEntry>();
  /** Channels that suspend() closed and resume() reopens. */
  readonly #asleep = new Set<string>();
  #countsTimer: TimerHandle | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
    this.#emitter = new Emitter((error) =>
      this.#logger.log('error', 'an engine listener threw', { error: String(error) }),
    );
    this.#policy = new NotificationPolicy(
      options.preferences ?? DEFAULT_PREFERENCES,
      this.#clock,
      options.notifier,
    );
    this.#alerts = new ConnectionAlerts({
      clock: this.#clock,
      notifier: options.notifier,
      preferences: () => this.#policy.preferences,
    });
    this.#history = new HistoryKeeper({
      clock: this.#clock,
      logger: this.#logger,
      ...(options.historyStore ? { store: options.historyStore } : {}),
      ...(options.historyLimits ? { limits: options.historyLimits } : {}),
      onProblem: (channelKey, problem) => {
        this.#emitter.emit('history', { channelKey, problem });
        const entry = this.#channels.get(channelKey);
        if (entry) this.#emitter.emit('channel', this.#status(entry));
      },
    });
    // Validate everything before anything connects: a bad setting is an error now, not later.
    this.#servers = options.servers.map(resolveServer);
  }

  on<K extends keyof EngineEvents>(name: K, listener: (payload: EngineEvents[K]) => void): () => void {
    return this.#emitter.on(name, listener);
  }

  /** Starts following every channel. Histories load in the background. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#nameSources();
    for (const server of this.#servers) this.#addServer(server);
  }

  /** Stops every connection and writes history. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#countsTimer !== undefined) this.#clock.clearTimeout(this.#countsTimer);
    this.#countsTimer = undefined;
    for (const entry of this.#channels.values()) entry.connection.stop('Annotray stopped');
    this.#policy.dispose();
    this.#alerts.dispose();
    await this.#history.flush();
  }

  /** Replaces the configuration: unchanged channels keep their connection, others restart. */
  updateServers(servers: readonly ServerConfig[]): void {
    const resolved = servers.map(resolveServer);
    const wanted = new Map<string, { server: ResolvedServer; channel: string; url: URL }>();
    for (const server of resolved) {
      for (const c of server.channels)
        wanted.set(`${server.id}/${c.name}`, { server, channel: c.name, url: c.url });
    }
    const renamed: ChannelEntry[] = [];
    for (const [key, entry] of this.#channels) {
      const next = wanted.get(key);
      if (!next) continue;
      if (sameConnection(entry, next.server, next.url)) {
        // Same connection, maybe a new name: keep the connection, take the new record.
        if (entry.server.name !== next.server.name) renamed.push(entry);
        entry.server = next.server;
        continue;
      }
      entry.connection.stop('settings changed');
      this.#channels.delete(key);
    }
    for (const [key, entry] of [...this.#channels]) {
      if (!wanted.has(key)) {
        entry.connection.stop('channel removed');
        this.#channels.delete(key);
        this.#alerts.forget(key);
      }
    }
    this.#servers = resolved;
    this.#nameSources();
    for (const entry of renamed) this.#emitter.emit('channel', this.#status(entry));
    if (!this.#started) return;
    for (const server of resolved) this.#addServer(server);
  }

  /** How notifications name their channel: only needed when more than one is followed. */
  #nameSources(): void {
    const channels = this.#servers.flatMap((server) =>
      server.channels.map((c) => ({ server, name: c.name })),
    );
    const sources = new Map<string, string>();
    if (channels.length > 1) {
      for (const { server, name } of channels)
        sources.set(`${server.id}/${name}`, `${name} · ${server.name}`);
    }
    this.#policy.setSources(sources);
  }

  /** A channel as a connection alert names it. */
  #label(entry: ChannelEntry): string {
    return this.#servers.length > 1 ? `${entry.channel} on ${entry.server.name}` : entry.channel;
  }

  channels(): ChannelStatus[] {
    return [...this.#channels.values()].map((entry) => this.#status(entry));
  }

  /** A channel's events (oldest first), unread ids and gaps. */
  history(channelKey: string) {
    const history = this.#history.all.get(channelKey);
    if (!history) return undefined;
    return {
      events: history.events,
      gaps: history.gaps,
      isUnread: (id: string) => history.isUnread(id),
      unread: history.unreadCount,
    };
  }

  /** Resolves when histories stored by an earlier run have been merged in. */
  historyLoaded(): Promise<void> {
    return this.#history.loaded();
  }

  markRead(channelKey: string, eventIds: readonly string[]): number {
    const history = this.#history.all.get(channelKey);
    const changed = history?.markRead(eventIds) ?? 0;
    if (changed > 0) this.#changed(channelKey, { t: 'read', ids: eventIds });
    return changed;
  }

  /** Marks one channel, or every channel, read. */
  markAllRead(channelKey?: string): number {
    let changed = 0;
    for (const [key, history] of this.#history.all) {
      if (channelKey !== undefined && key !== channelKey) continue;
      const n = history.markAllRead();
      changed += n;
      if (n > 0) this.#changed(key, { t: 'readAll' });
    }
    return changed;
  }

  /**
   * The computer is going to sleep: its connections would freeze rather than fail, and what
   * the server publishes meanwhile is lost. Close them now, so the outage is a gap in each
   * channel's history (kept across restarts) that ends when `resume()` has it subscribed again.
   */
  suspend(reason: string): void {
    for (const entry of this.#channels.values()) {
      // Held back for its history (see #holdBack): already closed, and back on resume.
      if (entry.heldBack) this.#asleep.add(entry.key);
      const kind = entry.connection.state.kind;
      if (kind === 'failed' || kind === 'paused') continue;
      entry.connection.stop(reason);
      this.#asleep.add(entry.key);
    }
  }

  /** The computer woke up: reconnect what suspend() closed, and replace every other connection. */
  resume(reason: string): void {
    for (const key of this.#asleep) {
      const entry = this.#channels.get(key);
      // A channel held back for its history reopens once the history is read.
      if (!entry?.heldBack) entry?.connection.start();
    }
    this.#asleep.clear();
    this.refreshConnections(reason);
  }

  /**
   * The OS resumed or the network came back: channels waiting to retry try now, and open
   * connections (which may have died silently) are replaced. Failed channels stay failed.
   */
  refreshConnections(reason: string): void {
    for (const entry of this.#channels.values()) entry.connection.reconnectNow(reason);
  }

  /**
   * "Reconnect now" for one channel, asked by a person: a failed channel is tried again (they
   * may have fixed something outside Annotray), any other reconnects or is replaced at once.
   * Returns false for an unknown channel.
   */
  reconnect(channelKey: string, reason: string): boolean {
    const connection = this.#channels.get(channelKey)?.connection;
    if (!connection) return false;
    if (connection.state.kind === 'failed') connection.start();
    else connection.reconnectNow(reason);
    return true;
  }

  setPreferences(preferences: NotificationPreferences): void {
    this.#policy.setPreferences(preferences);
  }

  #addServer(server: ResolvedServer): void {
    const authorizer = new Authorizer(server.url, server.auth);
    const tuning: ConnectionTuning = {
      ...DEFAULT_TUNING,
      ...this.#options.tuning,
      ...(server.idleRefreshMs !== undefined ? { idleRefreshMs: server.idleRefreshMs } : {}),
    };
    for (const { name, url } of server.channels) {
      const key = `${server.id}/${name}`;
      if (this.#channels.has(key)) continue;
      const history = this.#history.get(key);
      const entry: ChannelEntry = {
        key,
        server,
        channel: name,
        url,
        counts: { events: 0, duplicates: 0, malformed: 0 },
        framesBeforeHistory: this.#options.historyStore ? [] : undefined,
        heldBack: undefined,
        frameContext: {
          serverId: server.id,
          serverUrl: server.base,
          channel: name,
          taskUrlTemplate: server.taskUrl,
          receivedAt: 0,
          channelKey: key,
        },
        connection: new ChannelConnection({
          channel: name,
          url,
          authorizer,
          clock: this.#clock,
          random: this.#random,
          logger: this.#logger,
          tuning,
          ...(this.#options.createSubscription
            ? { createSubscription: this.#options.createSubscription }
            : server.transport === 'ws'
              ? { createSubscription: (options, listener, now) => new WsSubscription(options, listener, now) }
              : {}),
          events: {
            state: (state) => {
              this.#logger.log('info', 'channel state', {
                channel: key,
                state: state.kind,
                ...('reason' in state ? { reason: state.reason } : {}),
              });
              this.#alerts.observe({ key, label: this.#label(entry), state });
              // The first subscription after a restart ends the gap the last run left open.
              if (state.kind === 'open' && history.openGapSince !== undefined) {
                const gap = history.closeGap(this.#clock.now());
                if (gap) this.#gapChanged(key, gap);
              }
              this.#emitter.emit('channel', this.#status(entry));
            },
            frame: (frame) => {
              const held = entry.framesBeforeHistory;
              if (!held) return this.#onFrame(entry, frame);
              // Its events wait for its history: read it before those of quiet channels.
              if (held.length === 0) this.#history.prioritize(key);
              held.push({ frame, receivedAt: this.#clock.now() });
              if (held.length >= MAX_FRAMES_BEFORE_HISTORY && !entry.heldBack) this.#holdBack(entry);
              // Judged once the stored history is read: count it as new for the backoff.
              return true;
            },
            down: (at, reason, cause) => {
              // Closed by #holdBack: its gap is recorded once the history is read.
              if (entry.heldBack) return;
              const gap = history.openGap(at, reason, cause === 'idle-cut' ? 'cut' : 'down');
              if (gap) this.#gapChanged(key, gap);
            },
            up: (at) => {
              const gap = history.closeGap(at);
              if (gap) this.#gapChanged(key, gap);
            },
            replaced: (silentSince, at) => {
              // Quiet and stalled look the same from here: if the old connection had stalled,
              // what was sent while it was silent is lost, so the window says so like a gap.
              const opened = history.openGap(
                silentSince,
                `nothing arrived for ${formatDuration(at - silentSince)}, so the idle refresh replaced the connection`,
                'stall',
              );
              const closed = opened ? history.closeGap(at) : undefined;
              if (closed) this.#gapChanged(key, closed);
              this.#emitter.emit('replaced', { channelKey: key, silentSince, at });
            },
            advice: (text) => {
              this.#emitter.emit('advice', { channelKey: key, text });
              this.#emitter.emit('channel', this.#status(entry));
            },
          },
        }),
      };
      this.#channels.set(key, entry);
      if (!this.#options.historyStore) {
        entry.connection.start();
        continue;
      }
      // Subscribe at once, asking for what came after the last run's last id (read on its own,
      // not with the history, which can take seconds to parse). Frames are held until this
      // channel's history is read, so a replay of what the last run showed is not notified.
      void this.#history.cursorFor(key).then((cursor) => {
        if (!this.#started || this.#channels.get(key) !== entry) return;
        entry.connection.resumeFrom(cursor);
        entry.connection.start();
      });
      void this.#history.loadedFor(key).then(() => {
        const held = entry.framesBeforeHistory ?? [];
        const heldBack = entry.heldBack;
        entry.framesBeforeHistory = undefined;
        entry.heldBack = undefined;
        if (this.#channels.get(key) !== entry) return;
        // Subscribed before the history was read: the gap the last run left open ends then.
        const state = entry.connection.state;
        const subscribedSince = heldBack
          ? heldBack.subscribedSince
          : state.kind === 'open'
            ? state.since
            : undefined;
        if (subscribedSince !== undefined && history.openGapSince !== undefined) {
          const gap = history.closeGap(subscribedSince);
          if (gap) this.#gapChanged(key, gap);
        }
        for (const { frame, receivedAt } of held) this.#onFrame(entry, frame, receivedAt);
        if (heldBack) this.#reopenAfterHoldBack(entry, heldBack.at);
      });
    }
  }

  /**
   * The channel holds as many frames as it may before its stored history is read. Passing
   * them on unjudged would deliver them before the held ones (out of order) and without the
   * stored history to drop a replay against (notified twice); dropping them would lose them
   * silently. So the channel stops listening until the history is read: the connection's
   * last id is then the last held frame's, so reopening asks a server that honours
   * `Last-Event-ID` for exactly what was not taken, and the time in between is a gap.
   */
  #holdBack(entry: ChannelEntry): void {
    const state = entry.connection.state;
    entry.heldBack = {
      at: this.#clock.now(),
      subscribedSince: state.kind === 'open' ? state.since : undefined,
    };
    this.#logger.log(
      'warn',
      'too many frames before the stored history was read; listening again once it is',
      {
        channel: entry.key,
        held: MAX_FRAMES_BEFORE_HISTORY,
      },
    );
    entry.connection.stop('waiting for the stored history to be read');
  }

  /** The history is read and the held frames judged: the gap since #holdBack, and listen again. */
  #reopenAfterHoldBack(entry: ChannelEntry, at: number): void {
    const id = entry.connection.stats.lastEventId;
    const resumable = id !== undefined && id.length <= MAX_LAST_EVENT_ID_CHARS;
    const gap = this.#history
      .get(entry.key)
      .openGap(
        at,
        `${MAX_FRAMES_BEFORE_HISTORY.toLocaleString('en')} events arrived before this channel's stored history was read, ` +
          'so Annotray stopped listening until it was, to keep events in order and not notify again what it holds; ' +
          (resumable
            ? 'it then asked the server for the events after the last one kept'
            : 'the server sends no event ids to ask again from, so what it sent meanwhile was missed'),
      );
    if (gap) this.#gapChanged(entry.key, gap);
    if (this.#started && !this.#asleep.has(entry.key)) entry.connection.start();
  }

  /** Returns true when the frame held a new event. */
  #onFrame(entry: ChannelEntry, frame: RawFrame, receivedAt?: number): boolean {
    const now = receivedAt ?? this.#clock.now();
    const history = this.#history.get(entry.key);
    if (frame.sseId && frame.sseId.length <= MAX_LAST_EVENT_ID_CHARS && history.setLastEventId(frame.sseId)) {
      // Kept with the history, so a restart resumes from here (ids too long to send are not).
      this.#history.record(entry.key, { t: 'cursor', id: frame.sseId });
    }
    entry.frameContext.receivedAt = now;
    const result = normalizeFrame(frame, entry.frameContext);
    if (!result.ok) {
      entry.counts.malformed += 1;
      this.#logger.log('debug', 'skipped a malformed frame', { channel: entry.key, reason: result.reason });
      this.#emitter.emit('malformed', { channelKey: entry.key, reason: result.reason });
      return false;
    }
    const event = result.event;
    const seen = this.#seenFor(entry.server.id);
    // history.add refuses an id it holds (stored by an earlier run, before `seen` knew it).
    if (!seen.add(event.id) || !history.add(event)) {
      entry.counts.duplicates += 1;
      this.#emitter.emit('duplicate', { channelKey: entry.key, eventId: event.id });
      return false;
    }
    entry.counts.events += 1;
    entry.lastEventAt = now;
    this.#history.record(entry.key, { t: 'event', event });
    const resentInto = history.creditResent(event);
    if (resentInto) this.#gapChanged(entry.key, resentInto);
    const decision = this.#policy.offer(event);
    this.#emitter.emit('event', { event, decision });
    this.#countsChanged.add(entry);
    if (this.#countsTimer === undefined) {
      // Counts change with every event: report them at most every 50 ms (a timer per event
      // cost more than the rest of the pipeline during bursts).
      this.#countsTimer = this.#clock.setTimeout(() => {
        this.#countsTimer = undefined;
        const changed = [...this.#countsChanged];
        this.#countsChanged.clear();
        for (const e of changed) {
          if (this.#channels.get(e.key) === e) this.#emitter.emit('channel', this.#status(e));
        }
      }, COUNTS_INTERVAL_MS);
      this.#countsTimer.unref?.();
    }
    return true;
  }

  #seenFor(serverId: string): SeenSet {
    let seen = this.#seen.get(serverId);
    if (!seen) {
      seen = new SeenSet(20_000);
      this.#seen.set(serverId, seen);
    }
    return seen;
  }

  #gapChanged(channelKey: string, gap: Gap): void {
    this.#history.record(channelKey, { t: 'gap', gap });
    this.#emitter.emit('gap', { channelKey, gap });
  }

  #changed(channelKey: string, record: HistoryRecord): void {
    this.#history.record(channelKey, record);
    const entry = this.#channels.get(channelKey);
    if (entry) this.#emitter.emit('channel', this.#status(entry));
  }

  #status(entry: ChannelEntry): ChannelStatus {
    const history = this.#history.all.get(entry.key);
    return {
      key: entry.key,
      serverId: entry.server.id,
      serverName: entry.server.name,
      channel: entry.channel,
      url: entry.url.href,
      state: entry.connection.state,
      unread: history?.unreadCount ?? 0,
      total: history?.size ?? 0,
      ...(entry.lastEventAt !== undefined ? { lastEventAt: entry.lastEventAt } : {}),
      ...(entry.connection.advice !== undefined ? { advice: entry.connection.advice } : {}),
      ...(this.#history.problem(entry.key) !== undefined
        ? { historyProblem: this.#history.problem(entry.key) as string }
        : {}),
      counts: { ...entry.counts, reconnects: entry.connection.stats.reconnects },
    };
  }
}

/**
 * What one channel's connection is made of: everything of its server but the name (a label
 * the engine only reports) and the list of channels (a sibling added or removed leaves this
 * one alone), with the channel's own URL. One identity instead of a list of fields kept by
 * hand, so a server setting added later restarts the connection when it changes.
 */
function connectionIdentity(server: ResolvedServer, url: URL): string {
  const { name: _label, channels: _siblings, ...connection } = server;
  return JSON.stringify({ ...connection, channelUrl: url.href });
}

function sameConnection(entry: ChannelEntry, server: ResolvedServer, url: URL): boolean {
  return connectionIdentity(entry.server, entry.url) === connectionIdentity(server, url);
}
