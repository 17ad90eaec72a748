// How times read in the window: relative for recent events ("2 min ago"), day headings
// ("Today", "Yesterday", a date), clock times in the user's locale, and countdowns.

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

/** The words of a disconnection gap in the list. */
export function gapText(gap: { readonly from: number; readonly to?: number }): string {
  const day = localDayKey(gap.from);
  if (gap.to === undefined) return `Disconnected since ${clockTime(gap.from)}`;
  return `Disconnected ${clockTime(gap.from)}–${clockOn(gap.to, day)} — events sent then were not received`;
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
