/** Every step here works per tenant (one transaction, one query each): a chunk's items grouped by tenant, in order. */
export function groupByTenant<T>(items: readonly T[], tenantOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const tenantId = tenantOf(item);
    const group = groups.get(tenantId);
    if (group === undefined) groups.set(tenantId, [item]);
    else group.push(item);
  }
  return groups;
}
