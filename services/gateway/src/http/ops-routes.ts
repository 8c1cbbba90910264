/**
 * /healthz, /readyz, /metrics and /openapi.json on the API's own port. The semantics are those of
 * @stratum/observability's health server (liveness never depends on Kafka or PostgreSQL, so an
 * outage takes pods out of service instead of restarting them), with its readiness checks
 * (readinessFromChecks: each check races a timeout).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isReady, readinessFromChecks, type Logger, type ReadinessCheck, type Registry } from '@stratum/observability';
import type { OpenApiDocument } from '../openapi/types';
import { sendJson } from './respond';

export interface OpsDependencies {
  readonly registry: Registry;
  readonly logger: Logger;
  /** Named readiness checks (publisher, postgres...). */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly document: OpenApiDocument;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const NO_STORE = { 'cache-control': 'no-store' };

export function opsHandlers(deps: OpsDependencies): Record<'/healthz' | '/readyz' | '/metrics' | '/openapi.json', Handler> {
  const readiness = readinessFromChecks(deps.checks);
  let inFlight: ReturnType<typeof readiness> | undefined;
  let lastReady: boolean | undefined;
  // Serialised once: the document is a constant.
  const documentText = JSON.stringify(deps.document);

  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }, NO_STORE),

    async '/readyz'(_req, res) {
      // Concurrent probes share one evaluation, so a slow dependency does not pile up checks.
      inFlight ??= readiness().finally(() => (inFlight = undefined));
      const report = await inFlight;
      const ready = isReady(report);
      if (ready !== lastReady) {
        // Transitions only: a probe every few seconds would otherwise drown the log.
        if (ready) deps.logger.info({ checks: report.checks }, 'ready');
        else deps.logger.warn({ checks: report.checks }, 'not ready');
        lastReady = ready;
      }
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: report.checks }, NO_STORE);
    },

    async '/metrics'(_req, res) {
      const text = await deps.registry.metrics();
      res.writeHead(200, { 'content-type': deps.registry.contentType, ...NO_STORE });
      res.end(text);
    },

    '/openapi.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(documentText) });
      res.end(documentText);
    },
  };
}
