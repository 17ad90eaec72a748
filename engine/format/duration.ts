// How a span of time reads in every message Annotray writes (connection reasons, doctor,
// CLI): "850 ms", "2.5 s", "60 s". One home, so the window, the CLI and the doctor agree.

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
