/**
 * `pnpm bench broker`: kafkajs produce and consume throughput against the embedded broker, the
 * broker and each client in separate processes, acks=all with the default fsync policy
 * ("always"). Prints msgs/s, MB/s and the broker's share of CPU time for each configuration.
 * The first consume "time" starts at the first batch, so group join is not counted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runTs as node, startBrokerProcess, stopBrokerProcess } from '../broker-process';

const TICKS = 100; // USER_HZ on Linux

interface Result {
  mode: string;
  count: number;
  seconds: number;
  bytes: number;
  clientCpu: number;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const CLIENT = join(import.meta.dirname, 'client.ts');
const RAW = join(import.meta.dirname, 'raw-client.ts');

function runClient(script: string, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = node(script, args);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Result) : reject(new Error(`client exited ${code}`))));
  });
}

async function measure(brokerPid: number, script: string, args: string[]): Promise<{ result: Result; brokerCpu: number }> {
  const before = cpuTicks(brokerPid);
  const wallStart = Date.now();
  const result = await runClient(script, args);
  const wall = (Date.now() - wallStart) / 1000;
  return { result, brokerCpu: (cpuTicks(brokerPid) - before) / TICKS / wall };
}

const configs = [
  { size: 200, batch: 100 },
  { size: 200, batch: 1000 },
  { size: 1024, batch: 100 },
  { size: 1024, batch: 1000 },
];
const COUNT = Number(process.env.BENCH_COUNT ?? 200_000);
const PARTITIONS = 6;
const INFLIGHT = 8;
const flush = process.env.BENCH_FLUSH ?? 'always';

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-'));
const { child, bootstrap } = await startBrokerProcess(dataDir, flush);
const rate = (r: Result) => Math.round(r.count / r.seconds).toLocaleString('en-US');
const mbps = (r: Result) => (r.bytes / r.seconds / 1e6).toFixed(1);
const pct = (x: number) => `${Math.round(x * 100)}%`;
try {
  const admin = new Kafka({ clientId: 'bench-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  process.stdout.write(`broker ${bootstrap} in its own process, flush=${flush}, ${COUNT} records per run, ${PARTITIONS} partitions, acks=all\n`);
  process.stdout.write('CPU columns: share of one core used by the broker / by the client process during the run\n\n');
  process.stdout.write('| client | record | batch | direction | msgs/s | MB/s | broker CPU | client CPU |\n|---|---|---|---|---|---|---|---|\n');
  const row = (client: string, size: number, batch: number, dir: string, m: { result: Result; brokerCpu: number }) =>
    process.stdout.write(`| ${client} | ${size} B | ${batch} | ${dir} | ${rate(m.result)} | ${mbps(m.result)} | ${pct(m.brokerCpu)} | ${pct(m.result.clientCpu)} |\n`);
  for (const { size, batch } of configs) {
    const topic = `bench-${size}-${batch}-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    row('kafkajs', size, batch, 'produce', await measure(child.pid!, CLIENT, ['produce', bootstrap, topic, String(COUNT), String(size), String(batch), String(INFLIGHT)]));
    row('kafkajs', size, batch, 'consume', await measure(child.pid!, CLIENT, ['consume', bootstrap, topic, String(COUNT)]));
    const raw = `raw-${topic}`;
    await admin.createTopics({ topics: [{ topic: raw, numPartitions: PARTITIONS }] });
    row('raw', size, batch, 'produce', await measure(child.pid!, RAW, ['produce', bootstrap, raw, String(COUNT), String(size), String(batch), String(PARTITIONS)]));
    row('raw', size, batch, 'fetch', await measure(child.pid!, RAW, ['fetch', bootstrap, raw, String(COUNT), String(PARTITIONS)]));
  }
  await admin.disconnect();
} finally {
  await stopBrokerProcess(child);
  rmSync(dataDir, { recursive: true, force: true });
}
