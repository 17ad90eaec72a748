// Walks the doctor's steps in their declared order. Each step gets what the earlier ones found
// and returns its checks and what the later ones need, or stops the run with a reason: once a
// name does not resolve, connecting is pointless, and the checks left out say why. Between
// steps the runner honours the AbortSignal; at the end it lists every check in CHECK_ORDER and
// takes the run's secrets out of all of them.
//
// The list is built one step at a time (`startingWith(a).followedBy(b)`) so the compiler checks
// that each step takes what the one before it gives, without casting a list of loosely typed steps.

import {
  CHECK_ORDER,
  type DoctorCheck,
  type DoctorReport,
  makeReport,
  skippedCheck,
} from './doctor-report.ts';
import { redactCheck } from './redact-secrets.ts';

/** What every step's context carries. */
export interface StepContext {
  /** The URL the report is about: the server as typed, until the settings give the stream URL. */
  readonly reportUrl: string;
}

interface StepOutput {
  readonly checks: readonly DoctorCheck[];
  /** Text that must not appear in the report (tokens), from this step on. */
  readonly secrets?: readonly string[];
}

export type StepResult<Next> =
  /** Go on: the next step gets `next`. */
  | (StepOutput & { readonly next: Next })
  /** Stop: the later checks are skipped with this reason ("DNS could not resolve example.test"). */
  | (StepOutput & { readonly stop: string });

export interface DoctorStep<In extends StepContext, Out extends StepContext> {
  readonly name: string;
  run(context: In, signal: AbortSignal | undefined): StepResult<Out> | Promise<StepResult<Out>>;
}

/** What the run has gathered so far. */
interface Gathered {
  readonly checks: DoctorCheck[];
  readonly secrets: string[];
  readonly signal: AbortSignal | undefined;
}

type Reached<Context> =
  | { readonly stopped: false; readonly context: Context }
  | { readonly stopped: true; readonly reason: string; readonly reportUrl: string };

async function take<In extends StepContext, Out extends StepContext>(
  step: DoctorStep<In, Out>,
  context: In,
  gathered: Gathered,
): Promise<Reached<Out>> {
  gathered.signal?.throwIfAborted();
  const result = await step.run(context, gathered.signal);
  // A step that came back although the run was aborted must not let the next one start.
  gathered.signal?.throwIfAborted();
  gathered.checks.push(...result.checks);
  gathered.secrets.push(...(result.secrets ?? []));
  return 'stop' in result
    ? { stopped: true, reason: result.stop, reportUrl: context.reportUrl }
    : { stopped: false, context: result.next };
}

export class StepList<Start extends StepContext, End extends StepContext> {
  /** The steps' names, in the order they run. */
  readonly names: readonly string[];
  readonly #walk: (start: Start, gathered: Gathered) => Promise<Reached<End>>;

  private constructor(
    names: readonly string[],
    walk: (start: Start, gathered: Gathered) => Promise<Reached<End>>,
  ) {
    this.names = names;
    this.#walk = walk;
  }

  static startingWith<Start extends StepContext, End extends StepContext>(
    step: DoctorStep<Start, End>,
  ): StepList<Start, End> {
    return new StepList([step.name], (start, gathered) => take(step, start, gathered));
  }

  followedBy<Next extends StepContext>(step: DoctorStep<End, Next>): StepList<Start, Next> {
    return new StepList([...this.names, step.name], async (start, gathered) => {
      const reached = await this.#walk(start, gathered);
      return reached.stopped ? reached : take(step, reached.context, gathered);
    });
  }

  /**
   * Runs the steps until one stops the run; resolves with the report however the checks came
   * out, rejects with the signal's reason once it is aborted.
   */
  async run(start: Start, signal?: AbortSignal): Promise<DoctorReport> {
    const gathered: Gathered = { checks: [], secrets: [], signal };
    const reached = await this.#walk(start, gathered);
    const why = reached.stopped ? reached.reason : undefined;
    const checks = CHECK_ORDER.map(
      (id) => gathered.checks.find((check) => check.id === id) ?? skippedCheck(id, why),
    );
    return makeReport(
      reached.stopped ? reached.reportUrl : reached.context.reportUrl,
      checks.map((check) => redactCheck(check, gathered.secrets)),
    );
  }
}
