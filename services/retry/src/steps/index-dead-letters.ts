/**
 * Copies delivery.dlq into the dead-letter index (`stratum dlq list|replay|purge` reads it): one
 * transaction per tenant per chunk, inside withTenant. The index ignores a dlqId it already has,
 * so re-reading the topic — a replayed chunk, the same letter produced twice, a reset consumer
 * group — inserts nothing twice, and a purged row stays purged.
 *
 * A letter the index refuses (its dlqId is not a UUID: a producer bug) is dropped with the reason
 * invalid_dead_letter rather than stopping the index for everyone; the topic still holds it.
 */
import { withTenant, type Db } from '@stratum/db';
import { deadLetterErrors } from '@stratum/delivery';
import type { DeadLetter } from '@stratum/schemas';
import { batchStep, drop, ok, type StepResult, type Step } from '@stratum/stream';
import type { Knex } from 'knex';
import type { RetryMetrics } from '../metrics';
import { groupByTenant } from './by-tenant';

/** @stratum/delivery's indexDeadLetters: how many of `letters` were new. */
export type IndexDeadLetters = (trx: Knex.Transaction, tenantId: string, letters: readonly DeadLetter[]) => Promise<number>;

export const INVALID_DEAD_LETTER = 'invalid_dead_letter';

export function indexDeadLettersStep(deps: { db: Db; indexDeadLetters: IndexDeadLetters; metrics: RetryMetrics }): Step<DeadLetter, DeadLetter> {
  /** Indexes a tenant's letters; the ones refused are returned. */
  async function indexTenant(tenantId: string, letters: readonly DeadLetter[]): Promise<Set<DeadLetter>> {
    const refused = new Set<DeadLetter>();
    const inserted = await withTenant(deps.db, tenantId, async (trx) => {
      try {
        return await deps.indexDeadLetters(trx, tenantId, letters);
      } catch (err) {
        if (!deadLetterErrors.is(err, 'invalid_dead_letter')) throw err;
      }
      // The index checks every letter before it writes any, so the transaction is intact: find the refused ones.
      let n = 0;
      for (const letter of letters) {
        try {
          n += await deps.indexDeadLetters(trx, tenantId, [letter]);
        } catch (err) {
          if (!deadLetterErrors.is(err, 'invalid_dead_letter')) throw err;
          refused.add(letter);
        }
      }
      return n;
    });
    deps.metrics.indexed(inserted, letters.length - refused.size - inserted, refused.size);
    return refused;
  }

  return batchStep('index-dead-letters', async (letters) => {
    const byTenant = groupByTenant(letters, (l) => l.tenantId);
    const refused = new Set<DeadLetter>();
    for (const [tenantId, list] of byTenant) for (const l of await indexTenant(tenantId, list)) refused.add(l);
    return letters.map((l): StepResult<DeadLetter> => (refused.has(l) ? drop(INVALID_DEAD_LETTER) : ok(l)));
  });
}
