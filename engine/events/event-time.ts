// `message_time` arrives as a naive ISO local time from Label Studio (`datetime.fromtimestamp(...)
// .isoformat()`), as an ISO time with an offset from other servers, or as epoch seconds or
// milliseconds (WebSocket payloads). All become epoch milliseconds, or undefined.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The largest epoch ms a Date can hold; beyond it `toISOString()` throws RangeError. */
const MAX_DATE_MS = 8.64e15;

/** Epoch ms a Date can hold, or undefined: every caller may format the result. */
export function parseEventTime(value: unknown): number | undefined {
  const ms = parseAnyTime(value);
  return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function parseAnyTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // Anything below 10^11 is seconds (10^11 s is the year 5138; 10^11 ms is 1973).
    return Math.round(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const naive = naiveLocalTime(value);
  if (naive !== undefined) return naive;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const ms = Math.floor(Number(`0.${frac}`) * 1000);
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms] as const;
  if (parts[1] > 11 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 60) {
    return undefined;
  }
  if (zone === undefined) {
    // Naive: the server's local time, which for an annotator's own server is ours too.
    return new Date(...parts).getTime();
  }
  const utc = Date.UTC(...parts);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMinutes * 60_000;
}

/** The minute of the last naive time read, and its epoch ms: events of a burst share it. */
let cachedMinute = '';
let cachedMinuteMs = 0;

/** The value of an ASCII digit at `i`, or -1. */
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i += 1) {
    const d = digit(text, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Label Studio's shape, `YYYY-MM-DDTHH:MM:SS[.ffffff]` with no zone, read without a regex and
 * without a local-time conversion per event: the minute's epoch ms comes from `new Date` once
 * and the seconds are added, which is exact because every time-zone transition since 1973
 * falls on a whole minute. Anything else (other shapes, earlier years, 7+ fraction digits)
 * returns undefined and takes the general path, which gives the same result for these.
 */
function naiveLocalTime(value: string): number | undefined {
  const n = value.length;
  if (n < 19 || n > 26 || n === 20) return undefined;
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  )
    return undefined;
  const second = digits(value, 17, 2);
  if (second < 0 || second > 60) return undefined;
  let ms = 0;
  if (n > 19) {
    if (value.charCodeAt(19) !== 46) return undefined;
    const frac = digits(value, 20, n - 20);
    if (frac < 0) return undefined;
    // The first three fraction digits, as Math.floor(Number(`0.${frac}`) * 1000) gives them.
    ms = Math.floor(frac / 10 ** (n - 23));
    if (n < 23) ms = frac * 10 ** (23 - n);
  }
  const minute = value.slice(0, 16);
  if (minute !== cachedMinute) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 2);
    const day = digits(value, 8, 2);
    const hour = digits(value, 11, 2);
    const min = digits(value, 14, 2);
    if (year < 1973 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23)
      return undefined;
    if (min < 0 || min > 59) return undefined;
    cachedMinuteMs = new Date(year, month - 1, day, hour, min, 0, 0).getTime();
    cachedMinute = minute;
  }
  return cachedMinuteMs + second * 1000 + ms;
}
