/**
 * Protocol choice for a generation, as Kafka's GroupMetadata.selectProtocol does it: only
 * protocols every member supports are candidates, each member votes for the first candidate in
 * its own preference order, and the most votes win. Ties go to the earlier candidate in the
 * first member's list, so the choice is deterministic.
 */
import type { GroupProtocol } from './types';

interface Voter {
  protocols: readonly GroupProtocol[];
}

/** Protocol names that every voter supports, in the first voter's preference order. */
export function commonProtocols(voters: readonly Voter[]): string[] {
  const [first, ...rest] = voters;
  if (!first) return [];
  return first.protocols.map((p) => p.name).filter((name) => rest.every((v) => v.protocols.some((p) => p.name === name)));
}

/** The protocol the group uses for its next generation, or null when the members share none. */
export function selectProtocol(voters: readonly Voter[]): string | null {
  const candidates = commonProtocols(voters);
  if (candidates.length === 0) return null;
  const votes = new Map<string, number>();
  for (const v of voters) {
    const choice = v.protocols.find((p) => candidates.includes(p.name))!.name;
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best = candidates[0]!;
  for (const name of candidates) if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
  return best;
}
