/**
 * Dedup: which copies on events.valid passed to events.unique and which were dropped as repeats.
 * Dedup writes nothing for a drop; what tells them apart is its claim (dedup_claims, docs/dedup.md):
 * the claim names the position (topic, partition, offset) of the copy that was seen first, and
 * only a copy at a claimed position passes. Every other copy inside the window was dropped.
 */
import { epochMs, type Db } from '@stratum/db';
import type { UniqueEvent, ValidEvent } from '@stratum/schemas';
import { collect, type Found, type TraceContext } from '../context';
import { iso, step, type StageReport, type StepDraft } from '../timeline';
import type { ScanTarget } from '../topic-scan';

export interface DedupFound {
  readonly unique: Array<Found<UniqueEvent>>;
}

export const emptyDedupFound = (): DedupFound => ({ unique: [] });

export interface DedupClaim {
  readonly firstSeen: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export function dedupTargets(ctx: TraceContext, into: DedupFound): ScanTarget[] {
  return [collect(ctx, { topic: 'events.unique', schema: 'events.unique', matches: (v) => v.tenantId === ctx.tenantId && v.messageId === ctx.messageId, into: into.unique })];
}

/**
 * The message's claims, oldest first (more than one when a repeat came after its window and passed
 * as a new first copy). dedup_claims has no row-level security and is not granted to the app role
 * (only dedup, as the owner, touches it), so it is read on the command's own connection, by tenant.
 */
export async function readClaims(db: Db, tenantId: string, messageId: string): Promise<DedupClaim[]> {
  const { rows } = await db.raw<{ rows: Array<{ first_seen_ms: string; topic: string; partition: number; offset: string }> }>(
    `SELECT ${epochMs('first_seen')} AS first_seen_ms, topic, "partition", "offset"::text AS "offset"
       FROM dedup_claims WHERE tenant_id = ? AND message_id = ? ORDER BY first_seen`,
    [tenantId, messageId],
  );
  return rows.map((r) => ({ firstSeen: Number(r.first_seen_ms), topic: r.topic, partition: r.partition, offset: Number(r.offset) }));
}

const at = (c: DedupClaim) => `${c.topic} partition ${c.partition} offset ${c.offset}`;
const claimDetails = (c: DedupClaim) => ({ firstSeen: iso(c.firstSeen), topic: c.topic, partition: c.partition, offset: c.offset });
const positionOf = (f: Found<unknown>) => ({ topic: f.topic, partition: f.partition, offset: f.offset });
const isAt = (c: DedupClaim, f: Found<unknown>) => c.topic === f.topic && c.partition === f.partition && c.offset === f.offset;

/** The claim a repeat ran into: the newest one already there when the copy was written, else the oldest. */
function governing(claims: readonly DedupClaim[], copy: Found<ValidEvent>): DedupClaim | undefined {
  return claims.filter((c) => c.firstSeen <= copy.timestamp).at(-1) ?? claims[0];
}

export function dedupReport(valid: ReadonlyArray<Found<ValidEvent>>, found: DedupFound, claims: readonly DedupClaim[]): StageReport {
  const steps: StepDraft[] = [];
  const unique = [...found.unique].sort((a, b) => a.value.dedupedAt - b.value.dedupedAt);
  const copies = [...valid].sort((a, b) => a.timestamp - b.timestamp || a.offset - b.offset);
  // Without any claim (expired and dropped with its day), events.unique alone says how many passed: the earliest copies.
  const passing = claims.length > 0 ? copies.filter((f) => claims.some((c) => isAt(c, f))) : copies.slice(0, unique.length);
  const unpaired = [...unique];
  let dropped = 0;
  let pending = 0;
  for (const copy of copies) {
    const claim = claims.find((c) => isAt(c, copy));
    const where = positionOf(copy);
    if (passing.includes(copy)) {
      const passed = unpaired.shift();
      if (passed !== undefined) {
        const why = claim === undefined ? 'first copy (its claim has expired since)' : `first copy (claimed ${iso(claim.firstSeen)})`;
        steps.push(step('dedup', passed.value.dedupedAt, `passed → events.unique: ${why}`, { copy: where, claim: claim === undefined ? null : claimDetails(claim), unique: positionOf(passed) }));
      } else if (claim !== undefined) {
        steps.push(step('dedup', claim.firstSeen, 'claimed as the first copy, but not on events.unique in the scanned window (its transaction not committed yet?)', { copy: where, claim: claimDetails(claim) }));
      }
      continue;
    }
    const first = governing(claims, copy);
    if (first !== undefined) {
      dropped++;
      steps.push(
        step('dedup', copy.value.validatedAt, `dropped as a repeat of the copy at ${at(first)}, first seen ${iso(first.firstSeen)}`, {
          copy: where,
          claim: claimDetails(first),
          // Dedup records no time for a drop: the step is placed at the copy's validation.
          atIs: 'validatedAt of the dropped copy',
        }),
      );
    } else if (unique.length > 0) {
      dropped++;
      steps.push(step('dedup', copy.value.validatedAt, 'dropped as a repeat (an earlier copy passed; its claim has expired since)', { copy: where, atIs: 'validatedAt of the dropped copy' }));
    } else {
      pending++;
    }
  }
  // Passed copies whose events.valid record is outside the scanned window.
  for (const passed of unpaired) steps.push(step('dedup', passed.value.dedupedAt, 'passed → events.unique: first copy', { unique: positionOf(passed) }));
  // Claims whose copy was not read (older than --since) and that nothing else explains.
  for (const c of claims) {
    if (!copies.some((f) => isAt(c, f)) && unique.length === 0) steps.push(step('dedup', c.firstSeen, `first seen by dedup at ${at(c)} (that copy is older than the scanned window)`, { claim: claimDetails(c) }));
  }
  let status: string | undefined;
  if (unique.length > 0) status = `passed dedup${dropped > 0 ? `; ${dropped} repeat${dropped === 1 ? '' : 's'} dropped` : ''}`;
  else if (dropped > 0) status = `dropped by dedup as a repeat${claims[0] === undefined ? '' : ` (first seen ${iso(claims[0].firstSeen)})`}; the first copy is not on events.unique in the scanned window`;
  else if (claims.length > 0) status = `claimed by dedup at ${iso(claims[0]!.firstSeen)}, not on events.unique in the scanned window`;
  else if (pending > 0) status = 'on events.valid, not seen by dedup yet (no claim, nothing on events.unique): dedup is lagging or stopped?';
  return { steps, found: { unique: unique.length, dedupClaims: claims.length, droppedRepeats: dropped }, status: status === undefined ? [] : [status] };
}
