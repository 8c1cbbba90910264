/** What `stratum trace` can fail with, beyond the database's and tenancy's own errors (commands/trace.ts maps them to exit codes). */
import { defineErrorCodes } from '@stratum/errors';

export const traceErrors = defineErrorCodes({
  usage: { retriable: false, description: 'a flag or setting is missing or invalid (no database, no Kafka, no schema registry)' },
  not_found: { retriable: false, description: 'the messageId was found on no topic in the scanned window and in no table' },
  kafka_unavailable: { retriable: true, description: 'Kafka or the schema registry could not be reached' },
});
