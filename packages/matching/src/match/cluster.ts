/**
 * Entities from pairwise links: connected components of the auto-merge links (union-find), since
 * the golden record is per entity, not per pair.
 *
 * The tradeoff: components make matching transitive — A~B and B~C put A, B and C together even
 * when A and C were never compared or differ, which recovers duplicates too damaged to match each
 * other directly, but one false link fuses two whole groups. The guard (optional): links are
 * applied strongest first, and two groups are joined only if no record of one is plainly a
 * different person from a record of the other (`conflict`: the model's cannot-link threshold), so
 * a chain of good links cannot run through two people who differ. It costs |A|·|B| comparisons
 * per join, which stays small while groups are people-sized.
 */

/** A scored link between record indices. */
export interface ScoredLink {
  readonly left: number;
  readonly right: number;
  readonly score: number;
}

export interface ClusterOptions {
  /** True when two records are plainly different people: their groups are never joined. */
  readonly conflict?: (left: number, right: number) => boolean;
}

/** Disjoint sets over 0..n-1 (path halving, union by size), with each set's members for the guard. */
class IndexUnionFind {
  readonly parent: Uint32Array;
  readonly members: number[][];

  constructor(n: number) {
    this.parent = new Uint32Array(n);
    this.members = [];
    for (let i = 0; i < n; i++) {
      this.parent[i] = i;
      this.members.push([i]);
    }
  }

  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.members[ra]!.length < this.members[rb]!.length) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    for (const m of this.members[rb]!) this.members[ra]!.push(m);
    this.members[rb] = [];
  }
}

/** Cluster id (the smallest member's index) per record; links applied strongest first. */
export function clusterLinks(n: number, links: readonly ScoredLink[], options: ClusterOptions = {}): Uint32Array {
  const sets = new IndexUnionFind(n);
  const conflict = options.conflict;
  const ordered = [...links].sort((x, y) => y.score - x.score);
  for (const link of ordered) {
    const ra = sets.find(link.left);
    const rb = sets.find(link.right);
    if (ra === rb) continue;
    if (conflict && groupsConflict(sets.members[ra]!, sets.members[rb]!, conflict)) continue;
    sets.union(ra, rb);
  }
  const clusterOf = new Uint32Array(n);
  const smallest = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    if (!smallest.has(root)) smallest.set(root, i); // i ascends: the first seen is the smallest
    clusterOf[i] = smallest.get(root)!;
  }
  return clusterOf;
}

function groupsConflict(a: readonly number[], b: readonly number[], conflict: (left: number, right: number) => boolean): boolean {
  for (const x of a) for (const y of b) if (conflict(x, y)) return true;
  return false;
}

/** Records grouped by cluster id: each entity's record indices, singletons included. */
export function entitiesOf(clusterOf: Uint32Array): number[][] {
  const groups = new Map<number, number[]>();
  clusterOf.forEach((cluster, i) => (groups.get(cluster) ?? groups.set(cluster, []).get(cluster)!).push(i));
  return [...groups.values()];
}
