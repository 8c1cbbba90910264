/** Polling for tests: wait until something observable holds, failing with what was awaited. */
import { HarnessError } from './errors';

/** Options of waitFor. */
export interface WaitForOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between checks (default 25 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message (default "condition"). */
  what?: string;
}

/**
 * Calls `check` until it returns true, then resolves; rejects with HarnessError(timeout) naming
 * `what` after `timeoutMs`. An exception thrown by `check` rejects at once (it is a bug, not "not yet").
 */
export async function waitFor(check: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 25, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new HarnessError('timeout', `waitFor: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
