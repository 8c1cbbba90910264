/**
 * SQL: the profiles a review entry (aliased `r`) is about *now* — each candidate followed to its
 * survivor (`merged_into` always names the final one), distinct and sorted, as text[]. One
 * survivor left means a later merge already joined the pair. The work list shows it
 * (list-reviews.ts) and the import's rejected pairs are built from it (rejected-pairs.ts).
 */
export const CURRENT_PROFILES_SQL = `(SELECT array_agg(DISTINCT coalesce(p.merged_into, p.id) ORDER BY coalesce(p.merged_into, p.id))
   FROM profiles p WHERE p.tenant_id = r.tenant_id AND p.id = ANY(r.candidate_profile_ids))`;
