/**
 * /healthz, /readyz, /metrics and /openapi.json on the API's own port, unauthenticated. The
 * semantics are those of @stratum/observability's health server: liveness never depends on
 * PostgreSQL (an outage takes replicas out of service instead of restarting them); readiness runs
 * the checks it is given, each racing a timeout, and logs only transitions.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readinessFromChecks, readinessProbe, type Logger, type ReadinessCheck, type Registry } from '@stratum/observability';
import type { OpenApiDocument } from '../openapi/types';
import { sendJson } from './respond';

export interface OpsDependencies {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly document: OpenApiDocument;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export const OPS_PATHS = ['/healthz', '/readyz', '/metrics', '/openapi.json'] as const;

export function opsHandlers(deps: OpsDependencies): Record<(typeof OPS_PATHS)[number], Handler> {
  const probe = readinessProbe(readinessFromChecks(deps.checks), deps.logger);
  // Serialised once: the document is a constant.
  const documentText = JSON.stringify(deps.document);
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    async '/readyz'(_req, res) {
      const { ready, report } = await probe();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: report.checks });
    },
    async '/metrics'(_req, res) {
      const text = await deps.registry.metrics();
      res.writeHead(200, { 'content-type': deps.registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
    },
    '/openapi.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(documentText) });
      res.end(documentText);
    },
  };
}
