/**
 * Errors of the adapters. Only configuration can be wrong in a way that throws: event data that a
 * platform would refuse is a `Skip`, and a refused request is a `Classification`.
 */
import { StratumError, defineErrorCodes } from '@stratum/errors';

export const adapterErrors = defineErrorCodes({
  invalid_destination_config: {
    retriable: false,
    description: "a destination's settings or credentials do not satisfy its adapter; the message lists every problem, one per line",
  },
});

/** One setting that failed: its path (`settings.pixelId`, `credentials.accessToken`) and what was wrong, never a secret's value. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown by `parseConfig`: every problem at once, so one edit fixes them all. */
export class DestinationConfigError extends StratumError<'invalid_destination_config'> {
  readonly problems: readonly ConfigProblem[];

  constructor(adapter: string, problems: readonly ConfigProblem[]) {
    const frozen = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    const lines = frozen.map((p) => `  ${p.path}: ${p.message}`);
    super('invalid_destination_config', [`invalid ${adapter} destination (${frozen.length} problem${frozen.length === 1 ? '' : 's'}):`, ...lines].join('\n'), {
      retriable: false,
      details: { adapter, problems: frozen },
    });
    this.name = 'DestinationConfigError';
    this.problems = frozen;
  }
}
