/**
 * A reviewer's rejection as a cannot-link (`@stratum/identity` readRejectedPairs): a row's match
 * links must not join two profiles a reviewer said are different people. The row keeps its exact
 * identifiers (facts, the planner's own rules apply) and its links strongest first; a link whose
 * profile was rejected against one the row already reaches is dropped, not queued again.
 * Only stored records' profiles are checked: a record of the same chunk has no profile yet, so no
 * reviewer can have rejected it.
 */
import type { RejectedPairs } from '@stratum/identity';
import type { RowDecisions } from './match-chunk';

export function withoutRejectedLinks(
  exactKeys: ReadonlyArray<readonly string[]>,
  decisions: readonly RowDecisions[],
  profileOfKey: ReadonlyMap<string, string>,
  rejected: RejectedPairs,
): RowDecisions[] {
  return decisions.map((d, i) => {
    const reached = new Set(exactKeys[i]!.flatMap((k) => profileOfKey.get(k) ?? []));
    const links = d.links.filter((link) => {
      const profile = profileOfKey.get(link.recordKey);
      if (profile === undefined) return true;
      if ([...reached].some((other) => rejected.has(profile, other))) return false;
      reached.add(profile);
      return true;
    });
    return links.length === d.links.length ? d : { ...d, links };
  });
}
