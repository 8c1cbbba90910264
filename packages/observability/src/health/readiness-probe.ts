/**
 * What answers /readyz, wherever it is served (the stage health server, the gateway's own port):
 * concurrent probes share one evaluation, so a slow dependency does not pile up checks; a hanging
 * readiness() is cut at the timeout; and only transitions are logged, since a probe every few
 * seconds would otherwise drown the log.
 */
import type { Logger } from '../logger';
import { errorText, isReady, withTimeout, type ReadinessReport } from './readiness';

/** /readyz answers within this even when readiness() hangs. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

export interface ReadinessAnswer {
  readonly ready: boolean;
  readonly report: ReadinessReport;
}

export function readinessProbe(
  readiness: () => Promise<ReadinessReport> | ReadinessReport,
  logger: Logger,
  timeoutMs: number = DEFAULT_READINESS_TIMEOUT_MS,
): () => Promise<ReadinessAnswer> {
  let inFlight: Promise<ReadinessReport> | undefined;
  let lastReady: boolean | undefined;
  return async () => {
    inFlight ??= withTimeout(Promise.resolve().then(readiness), timeoutMs)
      .catch((err: unknown): ReadinessReport => ({ checks: { readiness: { ok: false, error: errorText(err) } } }))
      .finally(() => {
        inFlight = undefined;
      });
    const report = await inFlight;
    const ready = isReady(report);
    if (ready !== lastReady) {
      if (ready) logger.info({ checks: report.checks }, 'ready');
      else logger.warn({ checks: report.checks }, 'not ready');
      lastReady = ready;
    }
    return { ready, report };
  };
}
