/**
 * The runtime as services run it: the toy stage as a real process against the embedded broker
 * and registry. Delivery is at-least-once: after crashes, every input arrives; a record can
 * arrive more than once only as a byte-identical re-delivery of the same messageId, which an
 * idempotent sink (dedup, identity, delivery) absorbs — these tests count such copies and show them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectRecords, produceRecords, uniqueName, useTestStack, waitFor, type CollectedRecord } from '@stratum/testing';
import { exampleRecords, type RawEvent } from '@stratum/schemas';
import { startToy, type ToyProcess, type ToyTopics } from './toy-process';

jest.setTimeout(120_000);
const stack = useTestStack();

async function toyTopics(partitions = 4): Promise<ToyTopics> {
  const topics = { input: uniqueName('toy-in'), output: uniqueName('toy-out'), invalid: uniqueName('toy-invalid') };
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: partitions })) });
  stack.onStop(() => stack.admin.deleteTopics({ topics: Object.values(topics) }));
  return topics;
}

const event = (i: number, name = 'Order Completed'): RawEvent => ({ ...exampleRecords['events.raw'], messageId: `m-${String(i).padStart(6, '0')}`, event: name });

async function produce(topic: string, events: RawEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await produceRecords(stack, { topic, schema: 'events.raw', records: events.slice(i, i + 500).map((value) => ({ key: value.messageId, value })) });
  }
}

/** Everything on `topic` so far, read from the start. */
async function readAll(topic: string, atLeast: number, timeoutMs = 60_000): Promise<CollectedRecord<RawEvent>[]> {
  return collectRecords(stack, { topic, schema: 'events.raw', count: atLeast, timeoutMs });
}

/** Output count, read cheaply from the topic's end offsets. */
async function outputCount(topic: string): Promise<number> {
  const offsets = await stack.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** The sum of a stage's stratum_stage_consumer_lag series in a /metrics text. */
function totalLag(metrics: string, stage: string): number {
  const series = new RegExp(`^stratum_stage_consumer_lag\\{stage="${stage}",[^}]*\\} (\\d+)$`, 'gm');
  return [...metrics.matchAll(series)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function up(toy: ToyProcess): Promise<void> {
  await waitFor(() => toy.stdout().includes('toy stage running') || toy.child.exitCode !== null, { timeoutMs: 30_000, what: 'the toy stage to start' });
  if (toy.child.exitCode !== null) throw new Error(`toy stage exited ${toy.child.exitCode}: ${toy.stderr()}`);
}

async function sigterm(toy: ToyProcess): Promise<number | null> {
  toy.child.kill('SIGTERM');
  return toy.exit;
}

/** Every input messageId arrived; duplicates only as identical copies. Returns how many copies there were. */
function assertExactlyTheInputs(out: CollectedRecord<RawEvent>[], inputs: RawEvent[]): number {
  const byId = new Map<string, RawEvent>();
  let copies = 0;
  for (const r of out) {
    const seen = byId.get(r.value!.messageId);
    if (seen) {
      copies++;
      expect(r.value).toEqual(seen);
    } else byId.set(r.value!.messageId, r.value!);
  }
  expect([...byId.keys()].sort()).toEqual(inputs.map((e) => e.messageId).sort());
  return copies;
}

it('passes records through, quarantines bad and undecodable ones, exposes the named metrics, and drains on SIGTERM', async () => {
  const topics = await toyTopics();
  const good = Array.from({ length: 300 }, (_, i) => event(i));
  await produce(topics.input, [...good.slice(0, 150), event(900, 'quarantine-me'), ...good.slice(150)]);
  const producer = stack.kafka.producer();
  await producer.connect();
  await producer.send({ topic: topics.input, messages: [{ key: 'garbage', value: Buffer.from('not avro at all') }] });
  await producer.disconnect();

  const group = uniqueName('toy');
  const toy = startToy(stack, topics, group);
  try {
    await up(toy);
    const out = await readAll(topics.output, 300);
    expect(assertExactlyTheInputs(out, good)).toBe(0);
    const invalid = await collectRecords(stack, { topic: topics.invalid, schema: 'events.invalid', count: 2 });
    expect(invalid.map((r) => r.value!.reasons[0]!.code).sort()).toEqual(['toy_refused', 'undecodable']);

    const metrics = await (await fetch(toy.metricsUrl()!)).text();
    for (const name of [
      'stratum_stage_records_in_total',
      'stratum_stage_records_out_total',
      'stratum_stage_batch_duration_seconds',
      'stratum_stage_consumer_lag',
      'stratum_stage_rebalances_total',
      'stratum_stage_commit_failures_total',
      'stratum_stage_record_age_seconds',
      'stratum_stage_paused',
      'stratum_stage_retries_total',
    ]) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
    expect(metrics).toMatch(new RegExp(`stratum_stage_records_out_total\\{stage="toy",output="out",outcome="ok",reason=""\\} 300`));
    expect(metrics).toMatch(/stratum_stage_records_out_total\{stage="toy",output="invalid",outcome="quarantine",reason="toy_refused"\} 1/);
    expect(metrics).toMatch(/stratum_stage_records_out_total\{stage="toy",output="invalid",outcome="quarantine",reason="undecodable"\} 1/);
    const ready = await fetch(toy.metricsUrl()!.replace('/metrics', '/readyz'));
    expect(ready.status).toBe(200);
  } finally {
    expect(await sigterm(toy)).toBe(0);
  }
  expect(toy.stdout()).toMatch(/stopping: draining the batch in flight/);
  // Everything was committed: a second run of the same group produces nothing new.
  const before = await outputCount(topics.output);
  const again = startToy(stack, topics, group);
  await up(again);
  await new Promise((r) => setTimeout(r, 2000));
  expect(await sigterm(again)).toBe(0);
  expect(await outputCount(topics.output)).toBe(before);
});

it('loses nothing when the stage is killed with SIGKILL mid-batch, again and again', async () => {
  const topics = await toyTopics();
  const inputs = Array.from({ length: 2400 }, (_, i) => event(i));
  await produce(topics.input, inputs);
  const group = uniqueName('toy-crash');
  const kills: number[] = [];
  for (let round = 0; round < 3; round++) {
    const toy = startToy(stack, topics, group, { TOY_DELAY_MS: '1' });
    await up(toy);
    const target = (round + 1) * 600;
    await waitFor(async () => (await outputCount(topics.output)) >= target, { timeoutMs: 60_000, what: `${target} outputs` });
    toy.child.kill('SIGKILL');
    await toy.exit;
    kills.push(await outputCount(topics.output));
  }
  const last = startToy(stack, topics, group);
  await up(last);
  const out = await readAll(topics.output, inputs.length);
  await waitFor(async () => (await outputCount(topics.output)) === out.length, { timeoutMs: 5_000, what: 'the output to settle' }).catch(() => undefined);
  const copies = assertExactlyTheInputs(await readAll(topics.output, await outputCount(topics.output)), inputs);
  expect(await sigterm(last)).toBe(0);
  process.stdout.write(`SIGKILL test: ${inputs.length} inputs, killed at ${kills.join(', ')} outputs, ${copies} re-delivered copies (absorbed downstream by messageId), 0 lost\n`);
});

it('two instances share the work through rebalances (one joins, one leaves) without losing records', async () => {
  const topics = await toyTopics(6);
  const inputs = Array.from({ length: 2000 }, (_, i) => event(i));
  await produce(topics.input, inputs);
  const group = uniqueName('toy-rebalance');
  const a = startToy(stack, topics, group, { TOY_DELAY_MS: '2' });
  await up(a);
  await waitFor(async () => (await outputCount(topics.output)) >= 300, { timeoutMs: 60_000, what: '300 outputs' });
  const b = startToy(stack, topics, group, { TOY_DELAY_MS: '2' });
  await up(b);
  await waitFor(async () => (await outputCount(topics.output)) >= 1000, { timeoutMs: 60_000, what: '1000 outputs' });
  expect(await sigterm(a)).toBe(0);
  const out = await readAll(topics.output, inputs.length, 90_000);
  const copies = assertExactlyTheInputs(await readAll(topics.output, await outputCount(topics.output)), inputs);
  expect(await sigterm(b)).toBe(0);
  // Both did some of the work.
  expect(a.stdout()).toMatch(/joined the consumer group/);
  expect(b.stdout()).toMatch(/joined the consumer group/);
  process.stdout.write(`rebalance test: ${inputs.length} inputs, ${out.length} outputs read, ${copies} re-delivered copies, 0 lost\n`);
});

it('pauses while a dependency is down and resumes when it is back, losing nothing', async () => {
  let healthy = false;
  let calls = 0;
  const server: Server = createServer((_req, res) => {
    calls++;
    res.writeHead(healthy ? 200 : 503).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const topics = await toyTopics(2);
  const inputs = Array.from({ length: 200 }, (_, i) => event(i));
  await produce(topics.input, inputs);
  const toy = startToy(stack, topics, uniqueName('toy-outage'), { TOY_DEPENDENCY_URL: url });
  try {
    await up(toy);
    await waitFor(() => calls >= 3, { timeoutMs: 30_000, what: 'retries against the failing dependency' });
    const metrics = await (await fetch(toy.metricsUrl()!)).text();
    expect(metrics).toMatch(/stratum_stage_paused\{stage="toy"\} 1/);
    expect(metrics).toMatch(/stratum_stage_retries_total\{stage="toy",reason="dependency_unavailable"\} [1-9]/);
    // No batch completes while it retries, yet the lag shows every record waiting (what a lag alert needs).
    await waitFor(async () => totalLag(await (await fetch(toy.metricsUrl()!)).text(), 'toy') === inputs.length, { timeoutMs: 30_000, what: 'the lag of both paused partitions' });
    expect(await outputCount(topics.output)).toBe(0);
    healthy = true;
    const out = await readAll(topics.output, inputs.length, 60_000);
    expect(assertExactlyTheInputs(out, inputs)).toBe(0);
    expect(toy.stdout()).toMatch(/retriable failure; pausing the partition/);
  } finally {
    await sigterm(toy);
    server.close();
  }
});

it('crashes with a clear log on an unknown error, commits nothing of that chunk, and a restart picks it up', async () => {
  const topics = await toyTopics(1);
  const inputs = Array.from({ length: 120 }, (_, i) => event(i, i === 70 ? 'crash-me' : 'Order Completed'));
  await produce(topics.input, inputs);
  const group = uniqueName('toy-crash-bug');
  const buggy = startToy(stack, topics, group, { TOY_CRASH: 'true' });
  expect(await buggy.exit).toBe(1);
  const fatal = buggy.stdout().split('\n').find((line) => line.includes('"level":"fatal"'));
  expect(fatal).toMatch(/stage toy crashed on an unknown error; exiting for the supervisor to restart it/);
  expect(fatal).toMatch(/TypeError: toy bug: cannot read properties of undefined/);
  // Chunks are 50 records: the first (0-49) was committed; the one holding record 70 was not.
  expect(await outputCount(topics.output)).toBe(50);
  const fixed = startToy(stack, topics, group);
  await up(fixed);
  expect(assertExactlyTheInputs(await readAll(topics.output, inputs.length), inputs)).toBe(0);
  expect(await sigterm(fixed)).toBe(0);
});

it('refuses to start on bad config, listing every problem', async () => {
  const topics = await toyTopics(1);
  const toy = startToy(stack, topics, uniqueName('toy'), { KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: 'ftp://nope', STAGE_BATCH_SIZE: 'lots', METRICS_PORT: '99999' });
  expect(await toy.exit).toBe(78);
  for (const variable of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'STAGE_BATCH_SIZE', 'METRICS_PORT']) expect(toy.stderr()).toContain(`${variable}:`);
  expect(toy.stderr()).toMatch(/invalid configuration \(4 problems\)/);
});
