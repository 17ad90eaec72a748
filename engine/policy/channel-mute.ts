// Per-channel mute: a muted channel's events are listed and counted as unread but do not
// notify (errors follow "errors always notify"), until a time or until unmuted.

import { tomorrowMorning } from './preferences.ts';

/** Epoch ms until which the channel is muted, or until the person unmutes it. */
export type MuteUntil = number | 'indefinite';

/** Channel key → how long it is muted. */
export type ChannelMutes = Readonly<Record<string, MuteUntil>>;

export type MuteChoice = 'hour' | 'tomorrow' | 'indefinite';

export function muteUntil(choice: MuteChoice, now: number): MuteUntil {
  switch (choice) {
    case 'hour':
      return now + 60 * 60 * 1000;
    case 'tomorrow':
      return tomorrowMorning(now);
    case 'indefinite':
      return 'indefinite';
  }
}

export function isMuted(mutes: ChannelMutes | undefined, channelKey: string, now: number): boolean {
  const until = mutes?.[channelKey];
  return until === 'indefinite' || (typeof until === 'number' && now < until);
}

/** The mutes still in force at `now` (expired ones dropped, so stored settings do not grow). */
export function activeMutes(mutes: ChannelMutes | undefined, now: number): ChannelMutes {
  return Object.fromEntries(Object.entries(mutes ?? {}).filter(([key]) => isMuted(mutes, key, now)));
}
