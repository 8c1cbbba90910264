/** One chunk through a toy stage, without Kafka: outcomes, outputs, quarantine records and the commit point. */
import { createReader, createSerde, exampleRecords, memoryRegistryClient, type AvroSerde, type RawEvent } from '@stratum/schemas';
import { processChunk, type InputRecord, type StageSerdes } from './batch-processor';
import { pipeline } from './pipeline';
import { drop, ok, quarantine, quarantineAll, retry } from './result';
import { defineStage } from './stage';
import { batchStep, recordStep } from './step';

const outputs = { out: 'events.raw', invalid: 'events.invalid' } as const;

/** Routes by event name: "drop", "bad", "later" and "boom" exercise each result; the rest pass with the name upper-cased. */
const toyStage = defineStage({
  name: 'toy',
  input: 'events.raw',
  outputs,
  quarantine: 'invalid',
  pipeline: pipeline<RawEvent>()
    .then(
      recordStep('route', (e: RawEvent) => {
        if (e.event === 'drop') return drop('unwanted');
        if (e.event === 'bad') return quarantine('bad_event', 'event "bad" is not allowed', 'event');
        if (e.event === 'worse') return quarantineAll([{ code: 'bad_event', message: 'event "worse" is not allowed', path: 'event' }, { code: 'no_user', message: 'no userId' }]);
        if (e.event === 'later') return retry(250, 'dependency_slow');
        return ok(e);
      }),
    )
    .then(batchStep('shout', async (events: readonly RawEvent[]) => events.map((e) => ok({ ...e, event: e.event?.toUpperCase() ?? null })))),
  emit: (e) => [{ output: 'out', key: `${e.tenantId}:${e.messageId}`, value: e }],
});

let serdes: StageSerdes<typeof outputs>;
let writer: AvroSerde<RawEvent>;
beforeAll(async () => {
  const registry = memoryRegistryClient();
  writer = await createSerde(registry, 'events.raw');
  serdes = {
    input: (await createReader(registry, 'events.raw')) as AvroSerde<unknown>,
    outputs: { out: await createSerde(registry, 'events.raw'), invalid: await createSerde(registry, 'events.invalid') },
  };
});

const input = (offset: number, event: string | Buffer): InputRecord => ({
  ctx: { topic: 'in', partition: 2, offset: String(offset), timestamp: 1_700_000_000_000, key: Buffer.from(`k${offset}`), headers: {} },
  value: Buffer.isBuffer(event) ? event : writer.encode({ ...exampleRecords['events.raw'], messageId: `m${offset}`, event }),
});

it('emits what passes, drops and quarantines with reasons, and commits past all of them', async () => {
  const result = await processChunk(toyStage, serdes, [input(10, 'signup'), input(11, 'drop'), input(12, 'bad'), input(13, 'login')]);
  expect(result.outcomes).toEqual([
    { offset: '10', outcome: 'ok', reason: '', outputs: ['out'] },
    { offset: '11', outcome: 'drop', reason: 'unwanted', outputs: [] },
    { offset: '12', outcome: 'quarantine', reason: 'bad_event', outputs: ['invalid'] },
    { offset: '13', outcome: 'ok', reason: '', outputs: ['out'] },
  ]);
  expect(result.commitOffset).toBe('14');
  expect(result.retry).toBeNull();
  const out = await Promise.all(result.records.filter((r) => r.output === 'out').map((r) => serdes.outputs.out.decode(r.value!)));
  expect(out.map((e) => [e.messageId, e.event])).toEqual([
    ['m10', 'SIGNUP'],
    ['m13', 'LOGIN'],
  ]);
  const q = result.records.find((r) => r.output === 'invalid')!;
  expect(q.key).toBe(`${exampleRecords['events.raw'].tenantId}:${exampleRecords['events.raw'].sourceId}`);
  expect(await serdes.outputs.invalid.decode(q.value!)).toMatchObject({
    messageId: 'm12',
    stage: 'toy',
    reasons: [{ code: 'bad_event', path: 'event', message: 'event "bad" is not allowed' }],
    origin: { topic: 'in', partition: 2, offset: 12 },
    key: Buffer.from('k12'),
    value: input(12, 'bad').value,
  });
});

it('quarantineAll puts every reason, in order, into the quarantine record; the first labels the outcome', async () => {
  const result = await processChunk(toyStage, serdes, [input(30, 'worse')]);
  expect(result.outcomes).toEqual([{ offset: '30', outcome: 'quarantine', reason: 'bad_event', outputs: ['invalid'] }]);
  expect((await serdes.outputs.invalid.decode(result.records[0]!.value!)).reasons).toEqual([
    { code: 'bad_event', path: 'event', message: 'event "worse" is not allowed' },
    { code: 'no_user', path: null, message: 'no userId' },
  ]);
});

it('stops at a retry: earlier records are emitted and committed, the retried one and later ones are left', async () => {
  const result = await processChunk(toyStage, serdes, [input(20, 'a'), input(21, 'later'), input(22, 'b')]);
  expect(result.outcomes.map((o) => o.outcome)).toEqual(['ok', 'retry']);
  expect(result.records).toHaveLength(1);
  expect(result.commitOffset).toBe('21');
  expect(result.retry).toEqual({ offset: '21', afterMs: 250, reason: 'dependency_slow' });
});

it('quarantines undecodable records as "undecodable" with their bytes, and keeps going', async () => {
  const garbage = Buffer.from('{"not":"avro"}');
  const result = await processChunk(toyStage, serdes, [input(30, garbage), input(31, 'ok')]);
  expect(result.outcomes.map((o) => [o.outcome, o.reason])).toEqual([
    ['quarantine', 'undecodable'],
    ['ok', ''],
  ]);
  const q = await serdes.outputs.invalid.decode(result.records[0]!.value!);
  expect(q).toMatchObject({ tenantId: null, messageId: null, value: garbage, valueJson: null });
  expect(q.reasons[0]!.message).toMatch(/not_confluent_framed/);
  expect(result.records[0]!.key).toBe('_unknown');
});

it('throws a retriable registry failure instead of quarantining (the record is fine; the registry is not)', async () => {
  const registry = memoryRegistryClient();
  const reader = await createReader(registry, 'events.raw');
  const foreignWriter = await createSerde(memoryRegistryClient(99), 'events.raw');
  registry.unavailable = true;
  await expect(processChunk(toyStage, { ...serdes, input: reader as AvroSerde<unknown> }, [{ ...input(40, 'x'), value: foreignWriter.encode(exampleRecords['events.raw']) }])).rejects.toMatchObject({ code: 'registry_unavailable', retriable: true });
});
