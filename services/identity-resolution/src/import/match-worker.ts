/**
 * The person-import matcher's own thread (started by match-worker-client.ts through
 * match-worker-boot.mjs): it holds every tenant's stored records (tenant-records.ts) and works out
 * each chunk's decisions (match-chunk.ts), so the matching of the next sub-chunk runs on the
 * second core while the main thread plans and writes the current one — on one thread the two
 * took turns, and matching was a third of the stage's main thread at 1M records.
 *
 * Requests are handled in the order they were posted: a chunk's records are added after the
 * match of the sub-chunk that was worked out ahead of its commit, as the main thread sent them.
 * The main thread owns what the index holds (which tenants, up to which `seq`); this thread only
 * checks that it holds as many records as the main thread thinks, so a request never silently
 * runs against records that were dropped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PERSON_MATCH_MODEL, scorerOf, type MatchModel } from '@stratum/matching';
import { matchChunk, type MatchCandidate, type RowDecisions } from './match-chunk';
import { TenantRecords } from './tenant-records';

export type MatchWorkerRequest =
  | { readonly type: 'add'; readonly tenantId: string; readonly records: readonly MatchCandidate[] }
  | { readonly type: 'drop'; readonly tenantId: string }
  | {
      readonly type: 'match';
      readonly id: number;
      readonly tenantId: string;
      /** How many stored records the main thread expects this tenant to have here. */
      readonly storedRecords: number;
      readonly rows: readonly MatchCandidate[];
      readonly pending: readonly MatchCandidate[];
      readonly maxBlockSize: number;
    };

export type MatchWorkerReply = { readonly id: number; readonly decisions: RowDecisions[] } | { readonly id: number; readonly error: string };

export interface MatchWorkerData {
  /** The model to score with (default PERSON_MATCH_MODEL). */
  readonly model?: MatchModel;
}

const port = parentPort;
if (port === null) throw new Error('match-worker.ts runs as a worker thread (match-worker-client.ts starts it)');
const scorer = scorerOf((workerData as MatchWorkerData | undefined)?.model ?? PERSON_MATCH_MODEL);
const tenants = new Map<string, TenantRecords>();

port.on('message', (request: MatchWorkerRequest) => {
  switch (request.type) {
    case 'add': {
      let records = tenants.get(request.tenantId);
      if (records === undefined) tenants.set(request.tenantId, (records = new TenantRecords()));
      for (const r of request.records) records.add(r);
      return;
    }
    case 'drop':
      tenants.delete(request.tenantId);
      return;
    case 'match': {
      const stored = tenants.get(request.tenantId) ?? new TenantRecords();
      if (stored.size !== request.storedRecords) {
        port.postMessage({ id: request.id, error: `the matcher holds ${stored.size} records of the tenant, the index ${request.storedRecords}` } satisfies MatchWorkerReply);
        return;
      }
      try {
        const decisions = matchChunk(request.rows, stored, scorer, { maxBlockSize: request.maxBlockSize, pending: request.pending });
        port.postMessage({ id: request.id, decisions } satisfies MatchWorkerReply);
      } catch (err) {
        port.postMessage({ id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies MatchWorkerReply);
      }
      return;
    }
  }
});
