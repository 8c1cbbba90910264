/** Runs src/main.ts as a real child process, as a supervisor would. */
import { join } from 'node:path';
import { metricsUrlFrom, spawnTsProcess, type TsProcess } from '@stratum/testing';

const main = join(__dirname, '..', 'src', 'main.ts');

export interface IngestProcess extends TsProcess {
  /** The /metrics URL, from the log line the process prints once it is up. */
  metricsUrl(): string | null;
}

/** Starts ingest with exactly `env` (plus PATH): nothing leaks in from the test's own environment. */
export function startIngestProcess(env: Record<string, string>): IngestProcess {
  const p = spawnTsProcess(main, env);
  return { ...p, metricsUrl: () => metricsUrlFrom(p.stdout()) };
}
