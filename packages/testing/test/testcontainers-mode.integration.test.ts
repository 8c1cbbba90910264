/**
 * `testcontainers` mode. Where no Docker engine is reachable (this project's CI and dev machines)
 * it must fail at once with a message that says so; where one is, it runs the round trip.
 */
import { closedPort, collectRecords, produceRecords, startTestStack, uniqueTopics } from '../src';
import { findDockerEndpoint } from '../src/kafka/docker-endpoint';
import { byKey, rawEvents } from './raw-events';

const dockerHere = findDockerEndpoint(process.env).found !== null;

(dockerHere ? test.skip : test)('without a Docker engine it fails at once, saying no Docker engine is reachable and where it looked', async () => {
  const started = Date.now();
  await expect(startTestStack({ env: { STRATUM_TEST_KAFKA: 'testcontainers' } })).rejects.toMatchObject({
    name: 'HarnessError',
    code: 'no_docker',
    message: expect.stringMatching(
      /^STRATUM_TEST_KAFKA=testcontainers needs a Docker engine .* and no Docker engine is reachable \(DOCKER_HOST is not set and none of .*\/var\/run\/docker\.sock.* exists\)\. .*leave STRATUM_TEST_KAFKA unset to use the embedded broker/,
    ),
  });
  expect(Date.now() - started).toBeLessThan(1_000);
});

// DOCKER_HOST given (here: a port nothing listens on) gets past the look-up: testcontainers (11.x, which runs on
// Node 20) loads, and the engine that is not there is reported as such, not as a bare socket error.
(dockerHere ? test.skip : test)('with DOCKER_HOST pointing at nothing, it loads testcontainers and reports the unreachable engine', async () => {
  const port = await closedPort();
  const failure = startTestStack({ env: { STRATUM_TEST_KAFKA: 'testcontainers', DOCKER_HOST: `tcp://127.0.0.1:${port}` }, startTimeoutMs: 20_000 });
  await expect(failure).rejects.toMatchObject({
    name: 'HarnessError',
    code: 'no_docker',
    message: expect.stringContaining(`no Docker engine is reachable (tried DOCKER_HOST=tcp://127.0.0.1:${port}: `),
  });
}, 60_000);

(dockerHere ? test : test.skip)(
  'with a Docker engine it runs Apache Kafka and Confluent Schema Registry for the same round trip',
  async () => {
    const stack = await startTestStack({ env: { STRATUM_TEST_KAFKA: 'testcontainers' } });
    try {
      expect(stack.mode).toBe('testcontainers');
      const topics = await uniqueTopics(stack, ['events.raw']);
      const sent = rawEvents(3);
      await produceRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', records: sent });
      const got = await collectRecords(stack, { topic: topics.name('events.raw'), schema: 'events.raw', count: 3, timeoutMs: 30_000 });
      expect(byKey(got).map(({ key, value }) => ({ key, value }))).toEqual(byKey(sent));
    } finally {
      await stack.stop();
    }
  },
  600_000,
);
