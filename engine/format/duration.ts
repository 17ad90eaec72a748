// How a span of time reads in every message Annotray writes (connection reasons, doctor,
// CLI): "850 ms", "2.5 s", "60 s". One home, so the window, the CLI and the doctor agree.

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A longer span as a person says it: "45 s", "6 min", "2 h 5 min" (rounded down to the minute past 1 min). */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Time left until something happens, rounded up ("8 s" for 7.2 s), or "now": the CLI's
 * reconnect countdown. The window words it the same (renderer countdown; a shared test pins it).
 */
export function formatCountdown(ms: number): string {
  const seconds = Math.ceil(ms / 1_000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes >= 10 || rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
