/** Time limits for Kafka operations: kafkajs retries on its own, the registry bounds the total. */
import { RegistryError, registryError } from '../errors';

/**
 * Resolves with `promise`, or rejects with a store error (50001): when `deadline` (epoch ms)
 * passes first, or when the Kafka operation fails.
 */
export function withDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  const left = deadline - Date.now();
  if (left <= 0) {
    promise.catch(() => undefined);
    return Promise.reject(registryError('STORE_ERROR', `Timed out ${what}`));
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(registryError('STORE_ERROR', `Timed out after ${Math.round(left)} ms ${what}`)), left);
  });
  promise.catch(() => undefined); // a late failure after the timeout is nobody's business
  const failed = promise.catch((err: unknown) => {
    if (err instanceof RegistryError) throw err;
    throw registryError('STORE_ERROR', `Kafka failed ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  return Promise.race([failed, timeout]).finally(() => clearTimeout(timer));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Capped exponential backoff with ±50% jitter, so fenced replicas do not retry in lockstep. */
export function backoffMs(attempt: number, baseMs = 10, capMs = 500): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return exp * (0.5 + Math.random());
}
