/** Disjoint sets over string nodes (path halving, union by size): the identity graph's components. */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  add(node: string): void {
    if (!this.parent.has(node)) {
      this.parent.set(node, node);
      this.size.set(node, 1);
    }
  }

  find(node: string): string {
    this.add(node);
    let x = node;
    for (;;) {
      const p = this.parent.get(x)!;
      if (p === x) return x;
      const grand = this.parent.get(p)!;
      this.parent.set(x, grand);
      x = grand;
    }
  }

  union(a: string, b: string): string {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
    return ra;
  }

  /** Every node, grouped by component; components and members sorted, so the result is deterministic. */
  components(): string[][] {
    const groups = new Map<string, string[]>();
    for (const node of this.parent.keys()) {
      const root = this.find(node);
      const list = groups.get(root) ?? [];
      list.push(node);
      groups.set(root, list);
    }
    return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }
}

/** The connected components of `nodes` under `edges` (pairs of nodes). */
export function connectedComponents(nodes: Iterable<string>, edges: Iterable<readonly [string, string]>): string[][] {
  const uf = new UnionFind();
  for (const n of nodes) uf.add(n);
  for (const [a, b] of edges) uf.union(a, b);
  return uf.components();
}
