import { MISSING } from './comparators';
import { estimateM } from './estimate';

/** Comparison vectors drawn from known m and u, 5% of values missing. */
function synthetic(count: number, lambda: number, m: number[][], u: number[][]): Int8Array[] {
  let state = 7;
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const draw = (p: number[]): number => {
    let r = random();
    for (let l = 0; l < p.length; l++) if ((r -= p[l]!) < 0) return l;
    return p.length - 1;
  };
  return Array.from({ length: count }, () => {
    const probabilities = random() < lambda ? m : u;
    return Int8Array.from(probabilities.map((p) => (random() < 0.05 ? MISSING : draw(p))));
  });
}

it('recovers m and the match share from unlabelled comparisons, u fixed', () => {
  const m = [
    [0.9, 0.1],
    [0.8, 0.15, 0.05],
    [0.85, 0.15],
  ];
  const u = [
    [0.05, 0.95],
    [0.01, 0.04, 0.95],
    [0.1, 0.9],
  ];
  const vectors = synthetic(20_000, 0.3, m, u);
  const result = estimateM(vectors, u, { m: [[0.6, 0.4], [0.5, 0.3, 0.2], [0.6, 0.4]], lambda: 0.5 });
  expect(result.lambda).toBeCloseTo(0.3, 1);
  result.m.forEach((levels, f) => levels.forEach((p, l) => expect(Math.abs(p - m[f]![l]!)).toBeLessThan(0.03)));
});
