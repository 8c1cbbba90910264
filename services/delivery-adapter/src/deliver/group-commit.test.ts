import { groupCommit } from './group-commit';

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('writes callers that arrive during a write together in the next one, each settled after its own rows', async () => {
  const writes: number[][] = [];
  let release: () => void = () => undefined;
  const commit = groupCommit<number>(async (rows) => {
    writes.push([...rows]);
    if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
  });
  const settled: number[] = [];
  const first = commit([1]).then(() => settled.push(1));
  await tick();
  const rest = [commit([2]).then(() => settled.push(2)), commit([3, 4]).then(() => settled.push(3))];
  await tick();
  expect(writes).toEqual([[1]]);
  expect(settled).toEqual([]);
  release();
  await Promise.all([first, ...rest]);
  expect(writes).toEqual([[1], [2, 3, 4]]);
  expect(settled).toEqual([1, 2, 3]);
});

it('a failed write rejects only its own callers; the next wave is written', async () => {
  let calls = 0;
  const commit = groupCommit<string>(async (rows) => {
    calls += 1;
    if (rows.includes('bad')) throw new Error('ledger down');
  });
  const failed = expect(commit(['bad'])).rejects.toThrow('ledger down');
  await tick();
  const later = commit(['good']);
  await failed;
  await expect(later).resolves.toBeUndefined();
  expect(calls).toBe(2);
});
