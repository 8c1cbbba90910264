/**
 * Group commit: callers that arrive while a write is in flight wait and are written together in
 * the next one. Each caller's promise settles only once its own rows are committed (or the write
 * that held them failed), so "recorded before settled" holds per caller — with one transaction
 * per wave instead of one per request. A lane sending eight webhooks at once writes the ledger
 * once for the eight, not eight times (the per-request transaction was the engine's main cost:
 * BENCHMARKS.md, Delivery).
 */
export function groupCommit<T>(write: (rows: readonly T[]) => Promise<void>): (rows: readonly T[]) => Promise<void> {
  let waiting: { rows: T[]; done: Promise<void> } | null = null;
  let inFlight: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    // Wait for the write before ours; its failure belongs to its own callers.
    while (inFlight !== null) await inFlight.catch(() => undefined);
    const batch = waiting!;
    waiting = null;
    inFlight = write(batch.rows);
    try {
      await inFlight;
    } finally {
      inFlight = null;
    }
  };

  return (rows) => {
    if (waiting === null) waiting = { rows: [], done: Promise.resolve().then(flush) };
    waiting.rows.push(...rows);
    return waiting.done;
  };
}
