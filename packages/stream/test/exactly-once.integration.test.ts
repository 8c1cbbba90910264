/**
 * The exactly-once delivery mode as dedup runs it: the toy stage with TOY_EXACTLY_ONCE=true as a
 * real process against the embedded broker. Whatever kills it — SIGKILL at each of the runtime's
 * crash points, at random moments, a rebalance, an instance frozen past its session and then
 * woken up (a zombie) — a read_committed reader finds every input exactly once on the output.
 * Sets are compared, and copies counted, over everything the output holds (collectToEnd).
 */
import { collectRecords, collectToEnd, produceRecords, uniqueName, useTestStack, waitFor } from '@stratum/testing';
import { exampleRecords, type RawEvent } from '@stratum/schemas';
import { startToy, type ToyProcess, type ToyTopics } from './toy-process';

jest.setTimeout(180_000);
const stack = useTestStack();

async function toyTopics(partitions: number): Promise<ToyTopics> {
  const topics = { input: uniqueName('eos-in'), output: uniqueName('eos-out'), invalid: uniqueName('eos-invalid') };
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: partitions })) });
  stack.onStop(() => stack.admin.deleteTopics({ topics: Object.values(topics) }));
  return topics;
}

const event = (i: number): RawEvent => ({ ...exampleRecords['events.raw'], messageId: `m-${String(i).padStart(6, '0')}` });

async function produceInputs(topic: string, n: number): Promise<RawEvent[]> {
  const inputs = Array.from({ length: n }, (_, i) => event(i));
  for (let i = 0; i < n; i += 500) {
    await produceRecords(stack, { topic, schema: 'events.raw', records: inputs.slice(i, i + 500).map((value) => ({ key: value.messageId, value })) });
  }
  return inputs;
}

const start = (topics: ToyTopics, group: string, env: Record<string, string> = {}) => startToy(stack, topics, group, { TOY_EXACTLY_ONCE: 'true', ...env });

async function up(toy: ToyProcess): Promise<void> {
  await waitFor(() => toy.stdout().includes('toy stage running') || toy.child.exitCode !== null, { timeoutMs: 30_000, what: 'the toy stage to start' });
  if (toy.child.exitCode !== null) throw new Error(`toy stage exited ${toy.child.exitCode}: ${toy.stderr()}`);
}

/** Offsets written to the output so far, committed or not: a cheap progress signal, not a count of records. */
async function outputOffsets(topic: string): Promise<number> {
  return (await stack.admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

/** Waits for all inputs to be visible, stops `last`, then checks the whole output: each input once, no copy. */
async function expectEachInputOnce(topics: ToyTopics, inputs: readonly RawEvent[], last: ToyProcess[]): Promise<void> {
  await collectRecords(stack, { topic: topics.output, schema: 'events.raw', count: inputs.length, timeoutMs: 120_000 });
  for (const toy of last) {
    toy.child.kill('SIGTERM');
    expect(await toy.exit).toBe(0);
  }
  const out = await collectToEnd(stack, { topic: topics.output, schema: 'events.raw' });
  const ids = out.map((r) => r.value!.messageId);
  expect(new Set(ids).size).toBe(ids.length); // no copy at all
  expect([...ids].sort()).toEqual(inputs.map((e) => e.messageId).sort());
}

it('SIGKILL at each crash point and at random moments leaves every input exactly once on the output', async () => {
  const topics = await toyTopics(4);
  const inputs = await produceInputs(topics.input, 2000);
  const group = uniqueName('eos-crash');
  // Each crash point of a chunk, then two kills at arbitrary moments.
  const crashes = ['stage.after-steps=3', 'stage.after-produce=2', 'stage.after-produce=6', 'stage.after-commit=4'];
  for (const failpoint of crashes) {
    const toy = start(topics, group, { STAGE_FAILPOINTS: failpoint, TOY_DELAY_MS: '1' });
    const code = await toy.exit;
    expect({ failpoint, signal: toy.child.signalCode, code }).toEqual({ failpoint, signal: 'SIGKILL', code: null });
    expect(toy.stderr()).toContain(`failpoint ${failpoint.split('=')[0]} reached`);
  }
  for (const fraction of [0.6, 0.8]) {
    const toy = start(topics, group, { TOY_DELAY_MS: '1' });
    await up(toy);
    const before = await outputOffsets(topics.output);
    await waitFor(async () => (await outputOffsets(topics.output)) >= before + inputs.length * (fraction - 0.45), { timeoutMs: 60_000, what: 'progress' });
    toy.child.kill('SIGKILL');
    await toy.exit;
  }
  const last = start(topics, group);
  await up(last);
  await expectEachInputOnce(topics, inputs, [last]);
});

it('two instances with a rebalance in the middle write every input once', async () => {
  const topics = await toyTopics(6);
  const inputs = await produceInputs(topics.input, 2000);
  const group = uniqueName('eos-rebalance');
  const a = start(topics, group, { TOY_DELAY_MS: '2' });
  await up(a);
  await waitFor(async () => (await outputOffsets(topics.output)) >= 300, { timeoutMs: 60_000, what: '300 outputs' });
  const b = start(topics, group, { TOY_DELAY_MS: '2' });
  await up(b);
  await waitFor(async () => (await outputOffsets(topics.output)) >= 1000, { timeoutMs: 60_000, what: '1000 outputs' });
  await expectEachInputOnce(topics, inputs, [a, b]);
});

it('fences a zombie: an instance stalled between producing and committing past its session commits nothing', async () => {
  const topics = await toyTopics(2);
  const inputs = await produceInputs(topics.input, 1200);
  const group = uniqueName('eos-zombie');
  // The zombie holds its 3rd chunk 10 s after writing its outputs, as a long GC pause would: its
  // 6 s session expires, the heir takes both partitions and re-initialises their transactional ids.
  const zombie = start(topics, group, { STAGE_FAILPOINTS: 'stage.after-produce=3:stall=10000', TOY_DELAY_MS: '1' });
  await up(zombie);
  await waitFor(() => zombie.stderr().includes('stalling'), { timeoutMs: 60_000, what: 'the zombie to stall' });
  const heir = start(topics, group, { TOY_DELAY_MS: '1' });
  await up(heir);
  await collectRecords(stack, { topic: topics.output, schema: 'events.raw', count: inputs.length, timeoutMs: 120_000 });
  // The zombie wakes up and tries to commit: the broker refuses its stale epoch and it abandons the chunk.
  await waitFor(() => /rebalance while a chunk was in flight/.test(zombie.stdout()), { timeoutMs: 30_000, what: 'the zombie to give up its chunk' });
  await expectEachInputOnce(topics, inputs, [heir, zombie]);
});
