/** Errors of the dead-letter index. Input problems are not retriable: the caller (or operator) must change what it asks. */
import { defineErrorCodes } from '@stratum/errors';

export const deadLetterErrors = defineErrorCodes({
  invalid_dead_letter: { retriable: false, description: 'a DLQ record cannot be indexed: its dlqId is not a UUID or it belongs to another tenant than the one indexing it' },
  invalid_filter: { retriable: false, description: 'a dead-letter filter is malformed: a dlqId that is not a UUID, since after until, or a limit outside 1-1000' },
  invalid_cursor: { retriable: false, description: 'a paging cursor was not one this module returned' },
});
