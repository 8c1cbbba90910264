/**
 * The broker's own capacity, without kafkajs's per-record encode/decode cost: a client that
 * sends pre-encoded Produce v7 requests (the batch built once by kafkajs's own encoder) with up
 * to 16 requests in flight, or reads a partition with back-to-back Fetch v11 requests. Prints
 * one JSON line like client.ts.
 *   tsx bench/broker/raw-client.ts produce <host:port> <topic> <count> <size> <batch> <partitions>
 *   tsx bench/broker/raw-client.ts fetch <host:port> <topic> <count> <partitions>
 */
import { connect } from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// kafkajs's internal encoders (not part of its public API, but stable in 2.2.4).
const Encoder = require('kafkajs/src/protocol/encoder');
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');

const [mode, bootstrap, topic, countArg, a4, a5, a6] = process.argv.slice(2);
const [host, portText] = bootstrap!.split(':');
const count = Number(countArg);

function frame(apiKey: number, version: number, id: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4 + 2 + 2 + 4 + 2 + 5);
  head.writeInt32BE(head.length - 4 + body.length, 0);
  head.writeInt16BE(apiKey, 4);
  head.writeInt16BE(version, 6);
  head.writeInt32BE(id, 8);
  head.writeInt16BE(5, 12);
  head.write('bench', 14);
  return Buffer.concat([head, body]);
}

function str(s: string): Buffer {
  const b = Buffer.alloc(2 + s.length);
  b.writeInt16BE(s.length, 0);
  b.write(s, 2);
  return b;
}

/** Sends requests built by `next(id)` keeping `window` in flight; calls `onResponse` with each body. */
function pump(window: number, next: (id: number) => Buffer | null, onResponse: (body: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(portText), host!);
    socket.setNoDelay(true);
    let inFlight = 0;
    let id = 0;
    let ended = false;
    let pending = Buffer.alloc(0);
    const fill = () => {
      while (!ended && inFlight < window) {
        const req = next(id++);
        if (!req) {
          ended = true;
          break;
        }
        inFlight++;
        socket.write(req);
      }
      if (ended && inFlight === 0) {
        socket.end();
        resolve();
      }
    };
    socket.on('connect', fill);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        onResponse(pending.subarray(8, 4 + size));
        pending = pending.subarray(4 + size);
        inFlight--;
      }
      fill();
    });
  });
}

async function rawProduce(): Promise<void> {
  const size = Number(a4);
  const batchSize = Number(a5);
  const partitions = Number(a6);
  const value = Buffer.alloc(size, 'x');
  const records = Array.from({ length: batchSize }, (_, i) => Record({ offsetDelta: i, key: Buffer.from(String(i)), value, timestampDelta: 0 }));
  const batch: Buffer = (await RecordBatch({ lastOffsetDelta: batchSize - 1, records })).buffer;
  const batchBytes = Buffer.concat([Buffer.alloc(4), batch]);
  batchBytes.writeInt32BE(batch.length, 0);
  const requests = Math.ceil(count / batchSize);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await pump(16, (id) => {
    if (id >= requests) return null;
    const head = Buffer.alloc(2 + 2 + 4 + 4);
    head.writeInt16BE(-1, 0); // null transactional id
    head.writeInt16BE(-1, 2); // acks=all
    head.writeInt32BE(30_000, 4);
    head.writeInt32BE(1, 8); // one topic
    const part = Buffer.alloc(8);
    part.writeInt32BE(1, 0);
    part.writeInt32BE(id % partitions, 4);
    return frame(0, 7, id, Buffer.concat([head, str(topic!), part, batchBytes]));
  }, () => undefined);
  report(requests * batchSize, requests * batchSize * size, start, cpuStart);
}

async function rawFetch(): Promise<void> {
  const partitions = Number(a4);
  const offsets = new Array<number>(partitions).fill(0);
  let got = 0;
  let bytes = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let turn = 0;
  await pump(1, () => {
    if (got >= count) return null;
    const p = turn++ % partitions;
    const enc = new Encoder()
      .writeInt32(-1).writeInt32(100).writeInt32(1).writeInt32(10 * 1024 * 1024).writeInt8(0)
      .writeInt32(0).writeInt32(-1)
      .writeInt32(1).writeString(topic)
      .writeInt32(1).writeInt32(p).writeInt32(-1).writeInt64(offsets[p]).writeInt64(-1).writeInt32(1024 * 1024)
      .writeInt32(0).writeString('');
    return frame(1, 11, turn, enc.buffer);
  }, (body) => {
    // Walk the batches of the one partition returned, counting records and advancing the offset.
    let at = 4 + 2 + 4 + 4; // throttle, error, session, topics count
    at += 2 + body.readInt16BE(at) + 4; // topic name, partitions count
    const p = body.readInt32BE(at);
    at += 4 + 2 + 8 + 8 + 8;
    const aborted = body.readInt32BE(at);
    at += 4 + Math.max(0, aborted) * 16 + 4;
    const len = body.readInt32BE(at);
    at += 4;
    const end = at + Math.max(0, len);
    while (at + 61 <= end) {
      const batchLen = body.readInt32BE(at + 8) + 12;
      if (at + batchLen > end) break;
      const base = Number(body.readBigInt64BE(at));
      const n = body.readInt32BE(at + 57);
      offsets[p] = base + body.readInt32BE(at + 23) + 1;
      got += n;
      bytes += batchLen;
      at += batchLen;
    }
  });
  report(got, bytes, start, cpuStart);
}

function report(n: number, bytes: number, start: bigint, cpuStart: NodeJS.CpuUsage): void {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const u = process.cpuUsage(cpuStart);
  process.stdout.write(`${JSON.stringify({ mode, count: n, seconds, bytes, clientCpu: (u.user + u.system) / 1e6 / seconds })}\n`);
}

await (mode === 'produce' ? rawProduce() : rawFetch());
process.exit(0);
