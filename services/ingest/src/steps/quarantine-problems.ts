/**
 * Ingest finds every problem of a record at once and quarantines it with all of them
 * (InvalidEvent.reasons, in the order found); the first is the record's reason code in metrics.
 */
import { quarantineAll, type StepResult } from '@stratum/stream';
import type { Problem } from '../reasons';

export function quarantineProblems(problems: readonly [Problem, ...Problem[]]): StepResult<never> {
  return quarantineAll(problems.map((p) => ({ code: p.code, message: p.message, ...(p.path === undefined ? {} : { path: p.path }) })) as [Problem, ...Problem[]]);
}
