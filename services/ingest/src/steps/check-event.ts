/** The event on its own: messageId, type, JSON parts, timestamps, the Segment spec (../check-event.ts). */
import { ok, recordStep, type Step } from '@stratum/stream';
import { checkEvent, type CheckedEvent } from '../check-event';
import type { Problem } from '../reasons';
import type { SourcedEvent } from './look-up-source';
import { quarantineProblems } from './quarantine-problems';

export interface CheckedSourcedEvent extends SourcedEvent {
  readonly event: CheckedEvent;
}

export function checkEventStep(): Step<SourcedEvent, CheckedSourcedEvent> {
  return recordStep('check-event', (sourced: SourcedEvent) => {
    const checked = checkEvent(sourced.raw);
    if ('problems' in checked) return quarantineProblems(checked.problems as [Problem, ...Problem[]]);
    return ok({ ...sourced, event: checked.event });
  });
}
