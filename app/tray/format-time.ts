// How the tray writes a moment ("paused until 14:05", "muted until Tue 08:00"): the time of day
// alone when it is today, with the weekday when it is another day (a pause until tomorrow, a
// mute for the week), in the person's locale.

/** "14:05" today, "Tue 08:00" on another day (in the en-GB locale; the system's by default). */
export function formatTime(
  epochMs: number,
  now: number = Date.now(),
  locales: Intl.LocalesArgument = [],
): string {
  const at = new Date(epochMs);
  const sameDay = at.toDateString() === new Date(now).toDateString();
  return at.toLocaleString(
    locales,
    sameDay
      ? { hour: '2-digit', minute: '2-digit' }
      : { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  );
}
