// "Tell me when I am not connected": one native notification per outage episode and channel.
// A channel that stops for a reason retrying cannot fix says what to fix at once; one that has
// been unable to connect for longer than the threshold says so once; when an episode that was
// told about ends, one more says the channel is back and that events sent meanwhile may be
// missing. Mute, pause and quiet hours silence these like events; "errors always notify" lets
// them through, as it does errors.

import type { ChannelState } from '../connection/channel-state.ts';
import { formatElapsed } from '../format/duration.ts';
import type { Clock, Notifier, TimerHandle } from '../ports.ts';
import type { NotificationIntent } from './notification-intent.ts';
import { silencedBy } from './notification-policy.ts';
import type { NotificationPreferences } from './preferences.ts';

interface Episode {
  readonly since: number;
  /** Told the person (so the end is told too), kept quiet (silenced: nothing more), or not yet. */
  told: 'no' | 'yes' | 'silenced';
  timer?: TimerHandle;
  reason?: string;
}

export interface AlertedChannel {
  readonly key: string;
  /** How the channel is named in the notification: "user_42", or "user_42 on Label Studio". */
  readonly label: string;
  readonly state: ChannelState;
}

export class ConnectionAlerts {
  readonly #clock: Clock;
  readonly #notifier: Notifier;
  readonly #preferences: () => NotificationPreferences;
  readonly #episodes = new Map<string, Episode>();
  readonly #labels = new Map<string, string>();

  constructor(options: { clock: Clock; notifier: Notifier; preferences: () => NotificationPreferences }) {
    this.#clock = options.clock;
    this.#notifier = options.notifier;
    this.#preferences = options.preferences;
  }

  /** Called with every state a channel enters. */
  observe(channel: AlertedChannel): void {
    const { key, state } = channel;
    this.#labels.set(key, channel.label);
    const now = this.#clock.now();
    const episode = this.#episodes.get(key);
    switch (state.kind) {
      case 'open':
        if (!episode) return;
        this.#end(key, episode);
        if (episode.told === 'yes') {
          this.#tell(key, 'back', {
            title: `${channel.label} is back after ${formatElapsed(now - episode.since)}`,
            body: 'Events sent meanwhile may be missing.',
            urgency: 'normal',
          });
        }
        return;
      case 'paused':
        // Stopped on purpose (by the person, for sleep, on quit): not an outage to alert on.
        if (episode) this.#end(key, episode);
        return;
      case 'connecting':
      case 'reconnecting': {
        const current = episode ?? this.#start(key, now);
        if (state.kind === 'reconnecting') current.reason = state.reason;
        return;
      }
      case 'failed': {
        const current = episode ?? this.#start(key, now);
        if (current.timer !== undefined) this.#clock.clearTimeout(current.timer);
        current.timer = undefined;
        if (current.told !== 'no') return;
        current.told = this.#tell(key, 'failed', {
          title: `Annotray stopped following ${channel.label}`,
          body: state.reason,
          urgency: 'critical',
        });
        return;
      }
    }
  }

  /** The channel is no longer followed (removed from the settings). */
  forget(key: string): void {
    const episode = this.#episodes.get(key);
    if (episode) this.#end(key, episode);
    this.#labels.delete(key);
  }

  dispose(): void {
    for (const [key, episode] of this.#episodes) this.#end(key, episode);
  }

  #start(key: string, now: number): Episode {
    const episode: Episode = { since: now, told: 'no' };
    this.#episodes.set(key, episode);
    const after = this.#preferences().unreachableAlertMs;
    if (after !== null) {
      episode.timer = this.#clock.setTimeout(() => {
        episode.timer = undefined;
        if (this.#episodes.get(key) !== episode || episode.told !== 'no') return;
        const label = this.#labels.get(key) ?? key;
        episode.told = this.#tell(key, 'unreachable', {
          title: `${label} has not been connected for ${formatElapsed(this.#clock.now() - episode.since)}`,
          body: `${episode.reason ? `${sentence(episode.reason)} ` : ''}Events sent meanwhile may be missing; Annotray keeps trying.`,
          urgency: 'critical',
        });
      }, after);
      episode.timer.unref?.();
    }
    return episode;
  }

  #end(key: string, episode: Episode): void {
    if (episode.timer !== undefined) this.#clock.clearTimeout(episode.timer);
    this.#episodes.delete(key);
  }

  /** Shows the alert unless silenced; returns what the episode now is. */
  #tell(
    key: string,
    what: 'failed' | 'unreachable' | 'back',
    text: Pick<NotificationIntent, 'title' | 'body' | 'urgency'>,
  ): 'yes' | 'silenced' {
    const prefs = this.#preferences();
    const now = this.#clock.now();
    if (!prefs.errorsAlwaysNotify && silencedBy(prefs, key, now)) return 'silenced';
    this.#notifier.notify({
      id: `connection:${what}:${key}:${now}`,
      ...text,
      target: { kind: 'channel', channelKey: key },
      count: 1,
      channelKey: key,
      silent: !prefs.sound,
    });
    return 'yes';
  }
}

/** A reason as a sentence: capitalised, ending with a full stop. */
function sentence(reason: string): string {
  const text = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
