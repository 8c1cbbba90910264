/**
 * A typed chain of steps: `pipeline<RawEvent>().then(validate).then(normalise)`. Running it on a
 * batch feeds each step only the records still in flight and remembers where each one stopped.
 */
import type { StepResult, Terminal } from './result';
import type { RecordContext } from './record-context';
import type { Step } from './step';

/** How one record left the pipeline: with a value, or stopped by a step (named, for logs). */
export type PipelineOutcome<Out> = { readonly kind: 'ok'; readonly value: Out } | (Terminal & { readonly step: string });

export class Pipeline<In, Out> {
  private constructor(private readonly steps: readonly Step<unknown, unknown>[]) {}

  /** An empty pipeline for records of type T. */
  static of<T>(): Pipeline<T, T> {
    return new Pipeline<T, T>([]);
  }

  /** This pipeline followed by `step`. */
  then<Next>(step: Step<Out, Next>): Pipeline<In, Next> {
    return new Pipeline<In, Next>([...this.steps, step as Step<unknown, unknown>]);
  }

  /** Step names, in order. */
  get stepNames(): string[] {
    return this.steps.map((s) => s.name);
  }

  /** Runs every record through the steps; one outcome per input, in input order. */
  async run(inputs: readonly In[], contexts: readonly RecordContext[]): Promise<PipelineOutcome<Out>[]> {
    const outcomes: PipelineOutcome<unknown>[] = inputs.map((value) => ({ kind: 'ok', value }));
    let alive = inputs.map((_, i) => i);
    for (const step of this.steps) {
      if (alive.length === 0) break;
      const values = alive.map((i) => (outcomes[i] as { value: unknown }).value);
      const results: StepResult<unknown>[] = await step.run(values, alive.map((i) => contexts[i]!));
      const next: number[] = [];
      results.forEach((r, j) => {
        const i = alive[j]!;
        if (r.kind === 'ok') {
          outcomes[i] = r;
          next.push(i);
        } else {
          outcomes[i] = { ...r, step: step.name };
        }
      });
      alive = next;
    }
    return outcomes as PipelineOutcome<Out>[];
  }
}

/** Shorthand for `Pipeline.of<T>()`. */
export const pipeline = <T>(): Pipeline<T, T> => Pipeline.of<T>();
