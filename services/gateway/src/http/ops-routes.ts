/**
 * /healthz, /readyz, /metrics and /openapi.json on the API's own port. The semantics are those of
 * @stratum/observability's health server (liveness never depends on Kafka or PostgreSQL, so an
 * outage takes pods out of service instead of restarting them), with its readiness checks
 * (readinessFromChecks: each check races a timeout) and its /readyz probe (readinessProbe).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readinessFromChecks, readinessProbe, type Logger, type ReadinessCheck, type Registry } from '@stratum/observability';
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
  const probe = readinessProbe(readinessFromChecks(deps.checks), deps.logger);
  // Serialised once: the document is a constant.
  const documentText = JSON.stringify(deps.document);

  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }, NO_STORE),

    async '/readyz'(_req, res) {
      const { ready, report } = await probe();
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
