// Quiet hours: a weekly schedule, in the local time zone, during which notifications stay
// silent (errors follow "errors always notify"). Events keep arriving and counting as unread.
//
// A schedule is a from–to time of day that starts on the chosen weekdays and may cross
// midnight (18:00–08:00 started on Friday ends on Saturday at 08:00), plus weekdays that are
// quiet all day; the night after a quiet day stays quiet until the morning's `to`, so
// "weekdays 18:00–08:00, all weekend" is quiet from Friday 18:00 to Monday 08:00. Everything is computed from local wall-clock times with Date, so a DST
// change moves nothing: 08:00 stays 08:00 on the day the clocks change.

/** 0 = Sunday … 6 = Saturday, as `Date.getDay()`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface QuietHours {
  readonly enabled: boolean;
  /** "HH:MM", 24-hour local time. */
  readonly from: string;
  readonly to: string;
  /** Days on which the from–to window starts. `from` equal to `to` makes it the whole day. */
  readonly days: readonly Weekday[];
  /** Days that are quiet from midnight to midnight (and, with a window crossing midnight, until `to` the next morning). */
  readonly allDay: readonly Weekday[];
}

export const QUIET_HOURS_OFF: QuietHours = {
  enabled: false,
  from: '18:00',
  to: '08:00',
  days: [1, 2, 3, 4, 5],
  allDay: [0, 6],
};

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Minutes since midnight of an "HH:MM" time, or undefined when it is not one. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Why a schedule cannot be used, in words for the settings form; undefined when it can. */
export function quietHoursProblem(q: QuietHours): string | undefined {
  if (parseTimeOfDay(q.from) === undefined)
    return `"${q.from}" is not a time of day (use HH:MM, 00:00–23:59)`;
  if (parseTimeOfDay(q.to) === undefined) return `"${q.to}" is not a time of day (use HH:MM, 00:00–23:59)`;
  const weekday = (d: number) => Number.isInteger(d) && d >= 0 && d <= 6;
  if (!q.days.every(weekday) || !q.allDay.every(weekday))
    return 'days must be weekdays 0 (Sunday) to 6 (Saturday)';
  if (q.enabled && q.days.length === 0 && q.allDay.length === 0)
    return 'choose at least one day for quiet hours';
  return undefined;
}

function minuteOfDay(date: Date): number {
  return date.getHours() * 60 + date.getMinutes();
}

/** Whether notifications are quiet at `now` (epoch ms) under the schedule. */
export function isQuiet(q: QuietHours, now: number): boolean {
  if (!q.enabled) return false;
  const from = parseTimeOfDay(q.from);
  const to = parseTimeOfDay(q.to);
  if (from === undefined || to === undefined) return false;
  const date = new Date(now);
  const day = date.getDay() as Weekday;
  if (q.allDay.includes(day)) return true;
  const minute = minuteOfDay(date);
  const startsToday = q.days.includes(day);
  if (from === to) return startsToday;
  if (from < to) return startsToday && minute >= from && minute < to;
  // Crossing midnight: this evening's window, or the one that started yesterday evening.
  const yesterday = ((day + 6) % 7) as Weekday;
  const startedYesterday = q.days.includes(yesterday) || q.allDay.includes(yesterday);
  return (startsToday && minute >= from) || (startedYesterday && minute < to);
}

/** Local midnight `days` days after the day of `time`, DST-safe. */
function localMidnight(time: number, days: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, 0, 0, 0, 0).getTime();
}

/** Local `minute` of the day `days` after the day of `time` (a time the clocks skip moves forward). */
function localTime(time: number, days: number, minute: number): number {
  const d = new Date(time);
  return new Date(
    d.getFullYear(),
    d.getMonth(),
    d.getDate() + days,
    Math.floor(minute / 60),
    minute % 60,
  ).getTime();
}

/**
 * When the quiet period that `now` is in ends (epoch ms); undefined when `now` is not quiet or
 * it never ends (every day quiet all day). The schedule changes only at midnight and at its
 * from/to times, so the end is the first such moment that is not quiet.
 */
export function quietUntil(q: QuietHours, now: number): number | undefined {
  if (!isQuiet(q, now)) return undefined;
  return boundariesAfter(q, now).find((b) => !isQuiet(q, b));
}

/** Every moment in the next eight days at which the schedule may change, in order. */
function boundariesAfter(q: QuietHours, now: number): number[] {
  const from = parseTimeOfDay(q.from) ?? 0;
  const to = parseTimeOfDay(q.to) ?? 0;
  const boundaries: number[] = [];
  for (let d = 0; d <= 8; d += 1) {
    boundaries.push(localMidnight(now, d), localTime(now, d, from), localTime(now, d, to));
  }
  return boundaries.filter((b) => b > now).sort((a, b) => a - b);
}

/** When the next quiet period starts, within a week; undefined when none does or it is quiet now. */
export function nextQuietStart(q: QuietHours, now: number): number | undefined {
  if (!q.enabled || isQuiet(q, now)) return undefined;
  return boundariesAfter(q, now).find((b) => b < now + 8 * DAY_MS && isQuiet(q, b));
}
