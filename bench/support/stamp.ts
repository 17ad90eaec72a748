// Timestamps that mean the same thing in every process on this machine. process.hrtime reads
// the system's monotonic clock (CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS, QPC on
// Windows), so a time the server process stamps into a payload can be subtracted from a time
// the engine's process takes when it notifies.

/** Microseconds on the machine-wide monotonic clock. */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
