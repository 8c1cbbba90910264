import fc from 'fast-check';
import { connectedComponents, UnionFind } from './union-find';

/** Reference: breadth-first search over an adjacency list. */
function bfsComponents(nodes: string[], edges: Array<[string, string]>): string[][] {
  const adj = new Map(nodes.map((n) => [n, [] as string[]]));
  for (const [a, b] of edges) {
    adj.get(a)!.push(b);
    adj.get(b)!.push(a);
  }
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const n of nodes) {
    if (seen.has(n)) continue;
    const comp: string[] = [];
    const queue = [n];
    seen.add(n);
    while (queue.length > 0) {
      const x = queue.shift()!;
      comp.push(x);
      for (const y of adj.get(x)!) {
        if (seen.has(y)) continue;
        seen.add(y);
        queue.push(y);
      }
    }
    out.push(comp.sort());
  }
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

test('property: components equal breadth-first search over the same edges', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.tuple(fc.nat(29), fc.nat(29)), { maxLength: 60 }), (n, rawEdges) => {
      const nodes = Array.from({ length: n }, (_, i) => `n${String(i).padStart(2, '0')}`);
      const edges = rawEdges.filter(([a, b]) => a < n && b < n).map(([a, b]): [string, string] => [nodes[a]!, nodes[b]!]);
      expect(connectedComponents(nodes, edges)).toEqual(bfsComponents(nodes, edges));
    }),
    { numRuns: 1000 },
  );
});

test('union returns the shared root and find is stable', () => {
  const uf = new UnionFind();
  const root = uf.union('a', 'b');
  expect(uf.find('a')).toBe(root);
  expect(uf.find('b')).toBe(root);
  uf.union('c', 'd');
  uf.union('b', 'd');
  expect(new Set(['a', 'b', 'c', 'd'].map((x) => uf.find(x))).size).toBe(1);
  expect(uf.components()).toEqual([['a', 'b', 'c', 'd']]);
});
