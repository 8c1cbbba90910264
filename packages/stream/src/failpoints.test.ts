import { FAILPOINTS, NO_FAILPOINTS, parseFailpoints, type FailpointActions, type FailpointName } from './failpoints';

function recorder() {
  const fired: string[] = [];
  const actions: FailpointActions = {
    kill: (name: FailpointName) => void fired.push(name),
    stall: async (name: FailpointName, ms: number) => void fired.push(`${name} stall ${ms}`),
  };
  return { fired, actions };
}

it('kills on the armed pass only, per name', () => {
  const { fired, actions } = recorder();
  const fp = parseFailpoints('stage.after-produce=3, stage.after-steps=1', actions);
  fp.hit(FAILPOINTS.afterProduce);
  fp.hit(FAILPOINTS.afterProduce);
  expect(fired).toEqual([]);
  fp.hit(FAILPOINTS.afterSteps);
  fp.hit(FAILPOINTS.afterProduce);
  fp.hit(FAILPOINTS.afterProduce);
  fp.hit(FAILPOINTS.afterCommit);
  expect(fired).toEqual(['stage.after-steps', 'stage.after-produce']);
});

it('stalls instead of killing when asked, and the hit resolves after the stall', async () => {
  const { fired, actions } = recorder();
  const fp = parseFailpoints('stage.after-produce=2:stall=8000', actions);
  expect(fp.hit(FAILPOINTS.afterProduce)).toBeUndefined();
  await fp.hit(FAILPOINTS.afterProduce);
  expect(fired).toEqual(['stage.after-produce stall 8000']);
});

it('is inert when nothing is armed', () => {
  expect(parseFailpoints('')).toBe(NO_FAILPOINTS);
  expect(parseFailpoints(' , ')).toBe(NO_FAILPOINTS);
});

it.each([
  ['stage.after-produse=1', /unknown failpoint "stage.after-produse"/],
  ['stage.after-produce', /is not a pass number/],
  ['stage.after-produce=0', /is not a pass number/],
  ['stage.after-produce=1.5', /is not a pass number/],
  ['stage.after-produce=1:sleep=5', /is not an action/],
])('refuses %s so a typo never tests nothing', (spec, message) => {
  expect(() => parseFailpoints(spec)).toThrow(message);
});
