// How times read in the window: relative for recent events ("2 min ago"), day headings
// ("Today", "Yesterday", a date), clock times in the user's locale, and countdowns.

import type { GapDto } from '../../../contract/dto.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayFormatWithYear = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

export function clockTime(time: number): string {
  return clockFormat.format(time);
}

export function fullDateTime(time: number): string {
  return fullFormat.format(time);
}

/** "just now", "5 min ago", "3 h ago"; beyond 12 hours the clock time (the day heading says which day). */
export function relativeTime(time: number, now: number): string {
  const ago = now - time;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < 12 * HOUR) return `${Math.floor(ago / HOUR)} h ago`;
  return clockTime(time);
}

/** The local calendar day of a time, as `YYYY-MM-DD`: what the list groups by. */
export function localDayKey(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function dayStart(dayKey: string): Date {
  const [y = 1970, m = 1, d = 1] = dayKey.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** "Today", "Yesterday", or the date ("Monday 21 November", with the year when not this year). */
export function dayLabel(dayKey: string, now: number): string {
  if (dayKey === localDayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (dayKey === localDayKey(yesterday.getTime())) return 'Yesterday';
  const day = dayStart(dayKey);
  return (day.getFullYear() === new Date(now).getFullYear() ? dayFormat : dayFormatWithYear).format(day);
}

/** A clock time, with the date in front when it is not on the reference day. */
function clockOn(time: number, referenceDay: string): string {
  return localDayKey(time) === referenceDay
    ? clockTime(time)
    : `${shortDateFormat.format(time)} ${clockTime(time)}`;
}

type GapWords = Pick<GapDto, 'from' | 'to'> & Partial<Pick<GapDto, 'kind' | 'count' | 'downMs' | 'resent'>>;

/** "1 event", "3 events". */
function events(n: number): string {
  return `${n} ${n === 1 ? 'event' : 'events'}`;
}

/**
 * The words of a disconnection gap in the list. Each says what may be missing and no more:
 * a proxy's cut lasts a moment, a stall may have lost everything sent while the connection was
 * silent, and events the server resent afterwards are counted rather than called lost.
 */
export function gapText(gap: GapWords): string {
  const day = localDayKey(gap.from);
  const count = gap.count ?? 1;
  const since = clockTime(gap.from);
  const resent = gap.resent ?? 0;
  if (gap.kind === 'cut') {
    // Usually a proxy's idle timeout (the reason line says what was seen); re-subscribed at once.
    if (gap.to === undefined) {
      return count > 1
        ? `The quiet stream was closed again; reconnecting (${count} times since ${since})`
        : `The quiet stream was closed at ${since}; reconnecting`;
    }
    if (count === 1) {
      return `Reconnected at ${since} after the quiet stream was closed — events sent in that moment may be missing`;
    }
    const down =
      gap.downMs === undefined
        ? ''
        : ` (${gap.downMs < 1000 ? 'under 1 s' : countdown(gap.downMs)} unsubscribed in all)`;
    return `Reconnected ${count} times since ${since}, each time the quiet stream was closed${down} — events sent in those moments may be missing`;
  }
  if (gap.kind === 'stall') {
    const what =
      count > 1
        ? `Silent connection replaced ${count} times since ${since}`
        : `Silent ${since}–${clockOn(gap.to ?? gap.from, day)}, connection replaced`;
    return `${what} — if it had stalled, events sent then were not received`;
  }
  if (gap.to === undefined) return `Disconnected since ${since}`;
  const span = `Disconnected ${since}–${clockOn(gap.to, day)}`;
  if (resent > 0)
    return `${span} — the server resent ${events(resent)} sent then; any others were not received`;
  return `${span} — events sent then were not received`;
}

/** "now", "8 s", "1 min 5 s", "12 min": how long until a reconnect attempt. */
export function countdown(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes >= 10 || rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
