/** `stratum topics apply` as users run it, against an in-process broker: lines, JSON and exit codes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, silentLogger, type RunningBroker } from '@stratum/broker';
import { topicCatalogue, type ApplyReport } from '@stratum/topics';
import { closedPort } from '@stratum/testing';
import { runCli as run } from './cli-process';

let broker: RunningBroker;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-cli-topics-'));
  broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
});
afterEach(async () => {
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `topic → first word of its line` for the catalogue's lines of a human report. */
function topicLines(out: string): Record<string, string> {
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(topicCatalogue.length + 1);
  return Object.fromEntries(lines.slice(0, -1).map((l) => /^(\S+)\s+(\S+?):?(?: |$)/.exec(l)!.slice(1, 3) as [string, string]));
}

const every = (word: string) => Object.fromEntries(topicCatalogue.map((t) => [t.name, word]));

it('--check on an empty broker lists every missing topic, changes nothing and exits 1; --json parses', async () => {
  const human = await run(['topics', 'apply', '--brokers', broker.bootstrap, '--check']);
  expect(human.code).toBe(1);
  expect(topicLines(human.out)).toEqual(every('DRIFT'));
  expect(human.out).toMatch(/^events\.raw +DRIFT missing: would create 12 partitions, replication factor 1, cleanup\.policy=delete, retention\.ms=604800000$/m);
  expect(human.out.trim().split('\n').at(-1)).toMatch(new RegExp(`^${topicCatalogue.length} topics: 0 created, 0 ok, 0 altered, ${topicCatalogue.length} drift, 0 error, 0 warnings .*nothing was changed$`));

  const json = await run(['topics', 'apply', '--brokers', broker.bootstrap, '--check', '--json']);
  expect(json.code).toBe(1);
  const report = JSON.parse(json.out) as ApplyReport;
  expect(report).toMatchObject({ mode: 'check', exitCode: 1, cluster: { brokers: 1, replicationFactor: 1 } });
  expect(report.topics.map((t) => [t.topic, t.status, t.pending[0]?.kind])).toEqual(topicCatalogue.map((t) => [t.name, 'drift', 'create']));
  expect(broker.state.topics.list().map((t) => t.name)).toEqual([]);
});

it('creates the catalogue, exits 0, and a second run reports every topic ok', async () => {
  const first = await run(['topics', 'apply', '--brokers', broker.bootstrap]);
  expect(first.out.split('\n').filter((l) => / ERROR /.test(l))).toEqual([]);
  expect(topicLines(first.out)).toEqual(every('created'));
  expect(first.code).toBe(0);

  const second = await run(['topics', 'apply', '--brokers', broker.bootstrap, '--check', '--json']);
  const report = JSON.parse(second.out) as ApplyReport;
  expect(report.topics.map((t) => [t.topic, t.status])).toEqual(topicCatalogue.map((t) => [t.name, 'ok']));
  expect(report.exitCode).toBe(0);
  expect(second.code).toBe(0);
});

it('exits 2 on usage errors, saying what is wrong', async () => {
  const missing = await run(['topics', 'apply']);
  expect([missing.code, missing.err]).toEqual([2, expect.stringContaining("required option '--brokers <list>' not specified")]);

  const bad = await run(['topics', 'apply', '--brokers', 'localhost']);
  expect([bad.code, bad.err]).toEqual([2, expect.stringContaining('expected host:port[,host:port...], got "localhost"')]);

  const tooMany = await run(['topics', 'apply', '--brokers', broker.bootstrap, '--replication-factor', '3']);
  expect([tooMany.code, tooMany.err]).toEqual([2, 'stratum topics apply: --replication-factor 3: the cluster has 1 broker(s)\n']);
  expect(broker.state.topics.list()).toEqual([]);
});

it('exits 3 with a clear message when Kafka is unreachable', async () => {
  const port = await closedPort();
  const started = Date.now();
  const r = await run(['topics', 'apply', '--brokers', `127.0.0.1:${port}`, '--json']);
  expect(r.code).toBe(3);
  expect(r.err).toMatch(new RegExp(`^stratum topics apply: cannot reach Kafka at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'kafka_unreachable' }, exitCode: 3 });
  expect(Date.now() - started).toBeLessThan(30_000);
});
