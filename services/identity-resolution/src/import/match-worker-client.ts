/**
 * The main thread's handle on the matcher thread (match-worker.ts): records in, decisions out, in
 * posting order. Started on first use and unref'd (it never keeps the process alive). If the
 * thread dies (out of memory, a bug), the requests in flight fail — the chunk is redone by the
 * stage — and `onLost` tells the record index that every tenant's records are gone, so they are
 * read again from PostgreSQL; the next request starts a new thread.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { MatchModel } from '@stratum/matching';
import type { MatchCandidate, RowDecisions } from './match-chunk';
import type { MatchWorkerReply, MatchWorkerRequest } from './match-worker';

export interface RecordMatcher {
  add(tenantId: string, records: readonly MatchCandidate[]): void;
  drop(tenantId: string): void;
  /**
   * Each row's decisions against the tenant's records (`storedRecords` of them, as the caller
   * counts) plus `pending`, rows matched against as if stored (a sub-chunk not committed yet).
   */
  match(tenantId: string, storedRecords: number, rows: readonly MatchCandidate[], pending: readonly MatchCandidate[], maxBlockSize: number): Promise<RowDecisions[]>;
  /** Called whenever the thread was lost with the records it held. */
  onLost(listener: () => void): void;
  close(): Promise<void>;
}

export interface MatchWorkerOptions {
  /** The folder holding match-worker-boot.mjs and match-worker.ts (this one; main.ts passes it). */
  readonly directory: string;
  readonly model?: MatchModel;
  /** Starts the thread (default `new Worker`); a test keeps the handle to end it from outside. */
  readonly startThread?: (file: string, options: WorkerOptions) => Worker;
}

export class MatcherLostError extends Error {
  override readonly name = 'MatcherLostError';
}

export function createMatchWorker(options: MatchWorkerOptions): RecordMatcher {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (d: RowDecisions[]) => void; reject: (e: Error) => void }>();
  const lostListeners: Array<() => void> = [];

  const lost = (self: Worker, reason: Error) => {
    if (worker !== self) return;
    worker = null;
    for (const w of waiting.values()) w.reject(reason);
    waiting.clear();
    lostListeners.forEach((l) => l());
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const startThread = options.startThread ?? ((file, workerOptions) => new Worker(file, workerOptions));
    const started = startThread(join(options.directory, 'match-worker-boot.mjs'), {
      workerData: { entry: pathToFileURL(join(options.directory, 'match-worker.ts')).href, ...(options.model ? { model: options.model } : {}) },
    });
    started.unref();
    started.on('message', (reply: MatchWorkerReply) => {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      if ('error' in reply) w.reject(new Error(`matcher: ${reply.error}`));
      else w.resolve(reply.decisions);
    });
    started.on('error', (err) => lost(started, new MatcherLostError(`the matcher thread failed: ${err.message}`, { cause: err })));
    started.on('exit', (code) => lost(started, new MatcherLostError(`the matcher thread exited (${code})`)));
    return (worker = started);
  };
  const post = (request: MatchWorkerRequest) => thread().postMessage(request);

  return {
    add(tenantId, records) {
      if (records.length > 0) post({ type: 'add', tenantId, records });
    },
    drop(tenantId) {
      // No thread, nothing held.
      if (worker) post({ type: 'drop', tenantId });
    },
    match(tenantId, storedRecords, rows, pending, maxBlockSize) {
      const id = nextId++;
      return new Promise<RowDecisions[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        post({ type: 'match', id, tenantId, storedRecords, rows, pending, maxBlockSize });
      });
    },
    onLost(listener) {
      lostListeners.push(listener);
    },
    async close() {
      const w = worker;
      worker = null;
      for (const x of waiting.values()) x.reject(new MatcherLostError('the matcher was closed'));
      waiting.clear();
      if (w) await w.terminate();
    },
  };
}
