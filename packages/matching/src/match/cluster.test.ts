import { clusterLinks, entitiesOf } from './cluster';

it('groups linked records into entities named by their smallest index', () => {
  const clusterOf = clusterLinks(6, [
    { left: 4, right: 1, score: 20 },
    { left: 1, right: 3, score: 15 },
    { left: 2, right: 5, score: 30 },
  ]);
  expect(Array.from(clusterOf)).toEqual([0, 1, 2, 1, 1, 2]);
  expect(entitiesOf(clusterOf)).toEqual([[0], [1, 3, 4], [2, 5]]);
});

it('does not chain two people together through a weak link when the guard says they differ', () => {
  // 0~1 and 2~3 are strong; 1~2 is a weaker link, but 0 and 3 are plainly different people.
  const links = [
    { left: 0, right: 1, score: 30 },
    { left: 2, right: 3, score: 30 },
    { left: 1, right: 2, score: 15 },
  ];
  const conflict = (a: number, b: number): boolean => (a === 0 && b === 3) || (a === 3 && b === 0);
  expect(Array.from(clusterLinks(4, links))).toEqual([0, 0, 0, 0]);
  expect(Array.from(clusterLinks(4, links, { conflict }))).toEqual([0, 0, 2, 2]);
});
