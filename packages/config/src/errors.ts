/** Errors of @stratum/config: one code, because a service with a bad environment cannot start. */
import { StratumError, defineErrorCodes } from '@stratum/errors';

export const configErrorCodes = defineErrorCodes({
  invalid_config: {
    retriable: false,
    description: 'The environment does not satisfy the service config; the message lists every problem, one per line.',
  },
});

export type ConfigErrorCode = keyof typeof configErrorCodes.codes;

/** One variable that failed: its name and what was wrong, never a secret's value. */
export interface ConfigProblem {
  readonly variable: string;
  /** The line after `NAME: `, e.g. `"abc" is not a port (0-65535)` or `required (a TCP port, 0-65535)`. */
  readonly message: string;
}

/** Thrown by `loadConfig`: every problem at once, so one deploy fixes them all. */
export class ConfigError extends StratumError<ConfigErrorCode> {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const frozen = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    const lines = frozen.map((p) => `  ${p.variable}: ${p.message}`);
    const count = `${frozen.length} problem${frozen.length === 1 ? '' : 's'}`;
    super('invalid_config', [`invalid configuration (${count}):`, ...lines].join('\n'), {
      retriable: configErrorCodes.codes.invalid_config.retriable,
      details: { problems: frozen },
    });
    this.name = 'ConfigError';
    this.problems = frozen;
  }
}
