import { blockingRecall, pairwiseQuality } from './quality';

it('counts pairs within predicted clusters against pairs within true entities', () => {
  // Truth: {0,1,2} {3} ; predicted: {0,1} {2,3}: 1 correct pair of 2 predicted, of 3 true.
  const quality = pairwiseQuality([0, 0, 2, 2], ['a', 'a', 'a', 'b']);
  expect(quality).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1, precision: 0.5 });
  expect(quality.recall).toBeCloseTo(1 / 3);
  expect(quality.f1).toBeCloseTo(0.4);
});

it('blocking recall is the share of true pairs proposed', () => {
  expect(blockingRecall([0, 1], [1, 3], ['a', 'a', 'a', 'b'])).toBeCloseTo(1 / 3);
});
