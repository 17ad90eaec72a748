// What every benchmark reports: named figures with a unit, the PRODUCT.md §6 bar they are
// held to (when there is one) and whether this run met it. Benchmarks measure; a missed bar
// is a result to read, never a failure of the run.

export interface Target {
  /** As PRODUCT.md §6 words it, for the table. */
  readonly text: string;
  readonly below?: number;
  readonly atMost?: number;
  readonly atLeast?: number;
}

export interface Figure {
  readonly bench: string;
  readonly id: string;
  readonly label: string;
  /** null when the figure could not be measured in this run (see `note`). */
  readonly value: number | null;
  readonly unit: string;
  readonly target?: Target;
  /** Undefined without a target; null when there is a target but no value. */
  readonly met?: boolean | null;
  readonly note?: string;
}

export function meets(target: Target, value: number): boolean {
  if (target.below !== undefined && !(value < target.below)) return false;
  if (target.atMost !== undefined && !(value <= target.atMost)) return false;
  if (target.atLeast !== undefined && !(value >= target.atLeast)) return false;
  return true;
}

export interface FigureSpec {
  readonly bench: string;
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly target?: Target;
  readonly note?: string;
}

export function measured(spec: FigureSpec, value: number): Figure {
  return {
    ...spec,
    value,
    ...(spec.target ? { met: meets(spec.target, value) } : {}),
  };
}

export function notMeasured(spec: FigureSpec, note: string): Figure {
  return { ...spec, value: null, ...(spec.target ? { met: null } : {}), note };
}

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of `samples` (any order). */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return distribution(values).p50;
}
