import { processEnv } from './process-env';

it('returns a copy of process.env, so changing it changes nothing', () => {
  const env = processEnv();
  expect(env).toEqual(process.env);
  env.STRATUM_CONFIG_TEST_ONLY = 'x';
  expect(process.env.STRATUM_CONFIG_TEST_ONLY).toBeUndefined();
});
