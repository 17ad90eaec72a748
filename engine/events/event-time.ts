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
