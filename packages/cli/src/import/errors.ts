/** Error codes of `stratum import`. */
import { defineErrorCodes } from '@stratum/errors';

export const importErrors = defineErrorCodes({
  usage: { retriable: false, description: 'a flag, the database URL, Kafka or the input file is missing or cannot be read; nothing was produced' },
  kafka_unavailable: { retriable: true, description: 'Kafka or the schema registry cannot be reached; nothing more was produced (running again resumes)' },
  stopped_part_way: { retriable: true, description: 'the import stopped after some batches were produced; running it again resumes after the last acknowledged row' },
});
