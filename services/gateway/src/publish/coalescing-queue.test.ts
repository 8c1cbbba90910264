import fc from 'fast-check';
import { CoalescingQueue, type CoalescingQueueOptions, type ProducedRecord, type SendSample } from './coalescing-queue';

/** A send whose acknowledgement the test controls. */
interface PendingSend {
  records: ProducedRecord[];
  ack(): void;
  fail(err: unknown): void;
}

/** Every send of every harness, acknowledged after each test so no deadline timer outlives it. */
const allSends: PendingSend[] = [];
afterEach(() => {
  for (const send of allSends.splice(0)) send.ack();
});

function harness(overrides: Partial<CoalescingQueueOptions> = {}) {
  const sends: PendingSend[] = [];
  const samples: SendSample[] = [];
  const events: string[] = [];
  const queue = new CoalescingQueue({
    send: (records) =>
      new Promise<void>((resolve, reject) => {
        const send = { records, ack: resolve, fail: reject };
        sends.push(send);
        allSends.push(send);
      }),
    maxBatchBytes: 1024 * 1024,
    maxBatchRecords: 10_000,
    maxQueuedBytes: 64 * 1024 * 1024,
    timeoutMs: 10_000,
    onSendFailed: (err) => new Error(`failed: ${String(err)}`),
    onSendTimedOut: () => events.push('stalled'),
    timedOut: () => new Error('timed out'),
    overloaded: () => new Error('overloaded'),
    onSend: (s) => samples.push(s),
    ...overrides,
  });
  return { queue, sends, samples, events };
}

const records = (label: string, n: number, size = 10): ProducedRecord[] =>
  Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`${label}:${i}`), value: Buffer.alloc(size) }));

/** Tracks a promise's state without awaiting it. */
function track(p: Promise<void>) {
  const state: { settled: 'pending' | 'resolved' | 'rejected'; error?: Error } = { settled: 'pending' };
  p.then(
    () => (state.settled = 'resolved'),
    (err: Error) => {
      state.settled = 'rejected';
      state.error = err;
    },
  );
  return state;
}

/** A publish whose outcome the test does not look at. */
const fire = (p: Promise<void>) => void p.catch(() => undefined);

const flush = () => new Promise((r) => setImmediate(r));
const keysOf = (rs: ProducedRecord[]) => rs.map((r) => r.key.toString());

describe('CoalescingQueue', () => {
  it('sends a lone publish in the same event-loop turn (its check phase), without a timer', async () => {
    const { queue, sends } = harness();
    fire(queue.enqueue(records('a', 2)));
    expect(sends).toHaveLength(0); // deferred to setImmediate, so this turn's other publishes can join
    await flush();
    expect(sends).toHaveLength(1);
    expect(keysOf(sends[0]!.records)).toEqual(['a:0', 'a:1']);
  });

  it('sends publishes of one turn together, and coalesces those arriving during a send into the next, in order, each settled by its own send', async () => {
    const { queue, sends, samples } = harness();
    const first = [track(queue.enqueue(records('a', 1))), track(queue.enqueue(records('z', 1)))];
    await flush();
    expect(sends).toHaveLength(1);
    expect(keysOf(sends[0]!.records)).toEqual(['a:0', 'z:0']);
    const later = ['b', 'c', 'd'].map((l) => track(queue.enqueue(records(l, 2))));
    await flush();
    expect(sends).toHaveLength(1);

    sends[0]!.ack();
    await flush();
    expect(first.map((s) => s.settled)).toEqual(['resolved', 'resolved']);
    expect(later.map((s) => s.settled)).toEqual(['pending', 'pending', 'pending']);
    expect(sends).toHaveLength(2);
    expect(keysOf(sends[1]!.records)).toEqual(['b:0', 'b:1', 'c:0', 'c:1', 'd:0', 'd:1']);

    sends[1]!.ack();
    await flush();
    expect(later.map((s) => s.settled)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(samples.map((s) => [s.records, s.publishes, s.outcome])).toEqual([
      [2, 2, 'acked'],
      [6, 3, 'acked'],
    ]);
  });

  it('splits a backlog over the record and byte caps; a publish spanning sends resolves only when all are acknowledged', async () => {
    const { queue, sends } = harness({ maxBatchRecords: 3, maxBatchBytes: 1000 });
    fire(queue.enqueue(records('x', 1)));
    await flush();
    const big = track(queue.enqueue(records('a', 5)));
    const heavy = track(queue.enqueue(records('h', 2, 600)));
    sends[0]!.ack();
    await flush();
    expect(keysOf(sends[1]!.records)).toEqual(['a:0', 'a:1', 'a:2']);
    sends[1]!.ack();
    await flush();
    expect(big.settled).toBe('pending');
    // 2 × 13 B of 'a' fit; the first 600 B record of 'h' still fits under 1000 B, the second does not.
    expect(keysOf(sends[2]!.records)).toEqual(['a:3', 'a:4', 'h:0']);
    sends[2]!.ack();
    await flush();
    expect(big.settled).toBe('resolved');
    expect(heavy.settled).toBe('pending');
    expect(keysOf(sends[3]!.records)).toEqual(['h:1']);
    sends[3]!.ack();
    await flush();
    expect(heavy.settled).toBe('resolved');
  });

  it('sends a record larger than the byte cap alone', async () => {
    const { queue, sends } = harness({ maxBatchBytes: 100 });
    fire(queue.enqueue(records('big', 2, 500)));
    await flush();
    expect(keysOf(sends[0]!.records)).toEqual(['big:0']);
  });

  it('rejects every publish of a failed send with the owner’s error and goes on with the next', async () => {
    const { queue, sends } = harness();
    fire(queue.enqueue(records('x', 1)));
    await flush();
    const a = track(queue.enqueue(records('a', 1)));
    const b = track(queue.enqueue(records('b', 1)));
    sends[0]!.ack();
    await flush();
    const c = track(queue.enqueue(records('c', 1)));
    sends[1]!.fail('boom');
    await flush();
    expect([a.settled, b.settled]).toEqual(['rejected', 'rejected']);
    expect(a.error!.message).toBe('failed: boom');
    expect(keysOf(sends[2]!.records)).toEqual(['c:0']);
    sends[2]!.ack();
    await flush();
    expect(c.settled).toBe('resolved');
  });

  it('rejects a publish not acknowledged by its deadline, tells the owner, and ignores the late acknowledgement', async () => {
    const { queue, sends, events, samples } = harness({ timeoutMs: 30 });
    const a = track(queue.enqueue(records('a', 1)));
    await new Promise((r) => setTimeout(r, 80));
    expect(a.settled).toBe('rejected');
    expect(a.error!.message).toBe('timed out');
    expect(events).toEqual(['stalled']);
    sends[0]!.ack();
    await flush();
    expect(a.settled).toBe('rejected');
    expect(samples.map((s) => s.outcome)).toEqual(['timed_out']);
  });

  it('refuses every publish waiting behind a stalled send by its own deadline', async () => {
    const { queue, sends } = harness({ timeoutMs: 60 });
    const slow = track(queue.enqueue(records('slow', 1)));
    await new Promise((r) => setTimeout(r, 20));
    const waiting = track(queue.enqueue(records('w', 1)));
    await new Promise((r) => setTimeout(r, 150));
    expect([slow.settled, waiting.settled]).toEqual(['rejected', 'rejected']);
    expect(waiting.error!.message).toBe('timed out');
    expect(sends).toHaveLength(2); // 'w' went out once the stalled send was abandoned, and stalled too
  });

  it('refuses a publish whose deadline passed before it could go out, without sending it', async () => {
    const { queue, sends } = harness({ timeoutMs: 0 });
    const late = track(queue.enqueue(records('late', 1)));
    await flush();
    expect(late.settled).toBe('rejected');
    expect(late.error!.message).toBe('timed out');
    expect(sends).toHaveLength(0);
  });

  it('pause rejects what waits and every new publish; resume takes publishes again', async () => {
    const { queue, sends } = harness();
    const inFlight = track(queue.enqueue(records('a', 1)));
    await flush();
    const waiting = track(queue.enqueue(records('b', 1)));
    queue.pause(() => new Error('reconnecting'));
    const refused = track(queue.enqueue(records('c', 1)));
    await flush();
    expect([waiting.settled, refused.settled]).toEqual(['rejected', 'rejected']);
    expect(refused.error!.message).toBe('reconnecting');
    expect(queue.paused).toBe(true);
    sends[0]!.ack();
    await flush();
    expect(inFlight.settled).toBe('resolved');
    queue.resume();
    const after = track(queue.enqueue(records('d', 1)));
    await flush();
    sends[1]!.ack();
    await flush();
    expect(after.settled).toBe('resolved');
  });

  it('refuses publishes beyond maxQueuedBytes instead of buffering without bound', async () => {
    const { queue } = harness({ maxQueuedBytes: 100 });
    fire(queue.enqueue(records('a', 1, 50)));
    await flush(); // in flight now: no longer counted as waiting
    fire(queue.enqueue(records('b', 1, 50)));
    const over = track(queue.enqueue(records('c', 1, 80)));
    await flush();
    expect(over.settled).toBe('rejected');
    expect(over.error!.message).toBe('overloaded');
  });

  it('drained() resolves once everything queued was acknowledged', async () => {
    const { queue, sends } = harness();
    fire(queue.enqueue(records('a', 1)));
    await flush();
    fire(queue.enqueue(records('b', 1)));
    let drained = false;
    void queue.drained().then(() => (drained = true));
    sends[0]!.ack();
    await flush();
    expect(drained).toBe(false);
    sends[1]!.ack();
    await flush();
    expect(drained).toBe(true);
  });

  it('property: every record is sent once, in publish order; a publish resolves iff every send carrying it was acknowledged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        async (sizes, cap, outcomes, arrivals) => {
          const { queue, sends } = harness({ maxBatchRecords: cap });
          const publishes: { keys: string[]; state: ReturnType<typeof track> }[] = [];
          let next = 0;
          const arrive = (n: number) => {
            for (let i = 0; i < n && next < sizes.length; i++, next++) {
              const rs = records(`p${next}`, sizes[next]!);
              publishes.push({ keys: keysOf(rs), state: track(queue.enqueue(rs)) });
            }
          };
          arrive(1);
          const acked = new Set<string>();
          const failed = new Set<string>();
          await flush();
          for (let step = 0; ; step++) {
            arrive(arrivals[step % arrivals.length]!);
            await flush();
            if (!sends[step]) {
              arrive(sizes.length); // nothing in flight: let the rest arrive
              await flush();
            }
            const current = sends[step];
            if (!current) break;
            const ok = outcomes[step % outcomes.length]!;
            for (const k of keysOf(current.records)) (ok ? acked : failed).add(k);
            if (ok) current.ack();
            else current.fail('x');
            await flush();
          }
          await flush();
          const sent = sends.flatMap((s) => keysOf(s.records));
          expect(new Set(sent).size).toBe(sent.length);
          const order = publishes.flatMap((p) => p.keys).filter((k) => sent.includes(k));
          expect(sent).toEqual(order);
          for (const p of publishes) {
            const allAcked = p.keys.every((k) => acked.has(k));
            if (p.state.settled === 'resolved') expect(allAcked).toBe(true);
            if (allAcked) expect(p.state.settled).toBe('resolved');
            if (p.keys.some((k) => failed.has(k))) expect(p.state.settled).toBe('rejected');
            expect(p.state.settled).not.toBe('pending');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
