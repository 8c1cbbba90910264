/**
 * A claim: the record that saw a (tenantId, messageId) first within its window. The claim names
 * the input position (topic, partition, offset) of that record, which is what makes dedup safe
 * to crash: when a chunk is replayed after a crash, its first copies find claims naming their own
 * positions and pass again, while every other copy finds someone else's claim and is dropped.
 */

/** Where a record sits in the input: the same record read again has the same position. */
export interface InputPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface ClaimRequest {
  readonly tenantId: string;
  readonly messageId: string;
  /** How long a claim holds for this record's tenant/source. */
  readonly windowSeconds: number;
  readonly position: InputPosition;
}

export interface Claim {
  /** The record that owns the (tenantId, messageId) inside the window. */
  readonly owner: InputPosition;
  /** When the owner claimed it (the database's clock), epoch ms. */
  readonly firstSeenMs: number;
  /** True when this look-up made the claim; false when it already existed (a repeat, or its own first copy replayed). */
  readonly created: boolean;
}

export function samePosition(a: InputPosition, b: InputPosition): boolean {
  return a.offset === b.offset && a.partition === b.partition && a.topic === b.topic;
}

/** One string per (tenantId, messageId), for maps. */
export const claimKey = (tenantId: string, messageId: string): string => `${tenantId}\u0000${messageId}`;
