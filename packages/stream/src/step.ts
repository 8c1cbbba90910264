/**
 * Steps: small named functions chained into a stage. A record step sees one record; a batch step
 * sees every record of the batch still in flight, so it can look up or insert them in one round
 * trip (dedup's seen-ids, identity's profiles). Both return one result per record, in order.
 */
import type { StepResult } from './result';
import type { RecordContext } from './record-context';

export interface Step<In, Out> {
  readonly name: string;
  run(inputs: readonly In[], contexts: readonly RecordContext[]): Promise<StepResult<Out>[]>;
}

/** A step that handles one record at a time. */
export function recordStep<In, Out>(name: string, fn: (input: In, ctx: RecordContext) => StepResult<Out> | Promise<StepResult<Out>>): Step<In, Out> {
  return {
    name,
    async run(inputs, contexts) {
      const out: StepResult<Out>[] = [];
      for (let i = 0; i < inputs.length; i++) out.push(await fn(inputs[i]!, contexts[i]!));
      return out;
    },
  };
}

/** A step that handles the whole batch at once; it must return one result per input, in order. */
export function batchStep<In, Out>(name: string, fn: (inputs: readonly In[], contexts: readonly RecordContext[]) => Promise<StepResult<Out>[]>): Step<In, Out> {
  return {
    name,
    async run(inputs, contexts) {
      const out = await fn(inputs, contexts);
      if (out.length !== inputs.length) throw new Error(`step ${name} returned ${out.length} results for ${inputs.length} records`);
      return out;
    },
  };
}
