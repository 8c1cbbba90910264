// The matcher thread's entry (match-worker-client.ts): workers do not inherit tsx's loader from
// `node --import tsx`, so this plain module registers it, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
