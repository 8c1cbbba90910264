/**
 * Group commit for produce requests. One send is in flight at a time; publishes that arrive
 * meanwhile wait in a FIFO and go out together in the next send, capped by bytes and records
 * (a bigger backlog is split over several sends). A lone publish on an idle queue is sent in the
 * same event-loop turn (setImmediate, no linger timer), so coalescing costs no latency when idle
 * and saves round trips under load. Deferring to the turn's check phase lets the requests read in
 * the same I/O poll share the first produce request: measured with `pnpm bench gateway` at a
 * steady 70% of /v1/track saturation, the gateway used 0.82 instead of 0.93 cores for the same
 * 13.9k requests/s.
 *
 * Each publish settles exactly once: it resolves when every send that carried one of its records
 * was acknowledged, and rejects when any of them failed or was not acknowledged by its deadline
 * (`timeoutMs` after the publish was enqueued). The queue knows nothing about Kafka: the owner
 * gives it `send`, decides what a failure means, and pauses it while the producer reconnects.
 */

export interface ProducedRecord {
  /** UTF-8 bytes of the key: encoded once, then hashed and written as they are. */
  readonly key: Buffer;
  readonly value: Buffer;
}

export type SendOutcome = 'acked' | 'failed' | 'timed_out';

/** One produce request, for metrics. */
export interface SendSample {
  readonly records: number;
  readonly bytes: number;
  /** How many publish() calls had records in it: the coalescing factor. */
  readonly publishes: number;
  readonly durationSeconds: number;
  readonly outcome: SendOutcome;
}

export interface CoalescingQueueOptions {
  /** Produces the records; resolves on acknowledgement. */
  send(records: ProducedRecord[]): Promise<void>;
  /** Caps of one send; a single record larger than the byte cap still goes, alone. */
  maxBatchBytes: number;
  maxBatchRecords: number;
  /** Bytes waiting to be sent beyond which publish refuses at once (overload: 503, not unbounded memory). */
  maxQueuedBytes: number;
  /** How long a publish may wait for its acknowledgement, queueing included. */
  timeoutMs: number;
  /** The error for the publishes of a send that failed; the owner usually pauses the queue here. */
  onSendFailed(err: unknown): Error;
  /** A send was not acknowledged by its deadline and is abandoned; the owner usually pauses the queue here. */
  onSendTimedOut(): void;
  /** The error for a publish not acknowledged by its deadline (in flight, or still waiting). */
  timedOut(): Error;
  /** The error for a publish refused because too many bytes are waiting. */
  overloaded(): Error;
  /** Called after each send settles (or is abandoned at its deadline). */
  onSend?(sample: SendSample): void;
}

interface Entry {
  readonly records: readonly ProducedRecord[];
  readonly deadline: number;
  /** Index of the first record not yet handed to a send. */
  next: number;
  unsentBytes: number;
  /** Sends carrying some of its records that have not settled. */
  inFlight: number;
  settled: boolean;
  resolve(): void;
  reject(err: Error): void;
}

interface Send {
  readonly entries: Entry[];
  readonly batch: ProducedRecord[];
  readonly records: number;
  readonly bytes: number;
  readonly startedAt: number;
  timer: NodeJS.Timeout | null;
}

const sizeOf = (r: ProducedRecord): number => r.value.length + r.key.length;

export class CoalescingQueue {
  private readonly options: CoalescingQueueOptions;
  private queue: Entry[] = [];
  private queuedBytes = 0;
  private inFlight: Send | null = null;
  private pausedWith: (() => Error) | null = null;
  private drainWaiters: (() => void)[] = [];

  constructor(options: CoalescingQueueOptions) {
    this.options = options;
  }

  /** Queues `records` as one publish; see the file comment for when it settles. */
  enqueue(records: readonly ProducedRecord[]): Promise<void> {
    if (this.pausedWith) return Promise.reject(this.pausedWith());
    if (records.length === 0) return Promise.resolve();
    let bytes = 0;
    for (const r of records) bytes += sizeOf(r);
    if (this.queuedBytes > 0 && this.queuedBytes + bytes > this.options.maxQueuedBytes) return Promise.reject(this.options.overloaded());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, deadline: Date.now() + this.options.timeoutMs, next: 0, unsentBytes: bytes, inFlight: 0, settled: false, resolve, reject });
      this.queuedBytes += bytes;
      this.schedulePump();
    });
  }

  /** Rejects everything waiting (not what is in flight) with `error()`, and every publish until resume(). */
  pause(error: () => Error): void {
    this.pausedWith = error;
    for (const entry of this.queue) this.reject(entry, error());
    this.queue = [];
    this.maybeDrained();
  }

  resume(): void {
    this.pausedWith = null;
    this.pump();
  }

  /** Whether publishes are refused (the owner paused the queue). */
  get paused(): boolean {
    return this.pausedWith !== null;
  }

  /** Resolves when nothing is queued or in flight (for close: flush, then disconnect). */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private isDrained(): boolean {
    return this.inFlight === null && this.queue.length === 0;
  }

  private maybeDrained(): void {
    if (!this.isDrained()) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private pumpScheduled: NodeJS.Immediate | null = null;

  /**
   * Sends on the check phase of this event-loop turn rather than at once: requests whose bodies
   * arrived in the same I/O poll then share the first produce request instead of waiting for its
   * acknowledgement. No timer: an idle queue sends within the same turn.
   */
  private schedulePump(): void {
    if (this.inFlight || this.pumpScheduled) return;
    this.pumpScheduled = setImmediate(() => {
      this.pumpScheduled = null;
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || this.pausedWith) return;
    const send = this.take();
    if (!send) return this.maybeDrained();
    this.inFlight = send;
    // One timer per send (not per publish): the oldest publish in it has the earliest deadline.
    const firstDeadline = send.entries[0]!.deadline;
    send.timer = setTimeout(() => this.timedOut(send), Math.max(0, firstDeadline - Date.now()));
    send.timer.unref();
    this.options.send(send.batch).then(
      () => this.settle(send, { ok: true }),
      (err: unknown) => this.settle(send, { ok: false, err }),
    );
  }

  /** Builds the next send from the head of the queue; expired publishes that never went out are refused here. */
  private take(): Send | null {
    const { maxBatchBytes, maxBatchRecords } = this.options;
    const now = Date.now();
    const entries: Entry[] = [];
    const batch: ProducedRecord[] = [];
    let records = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const entry = this.queue[0]!;
      if (entry.settled) {
        this.queue.shift();
        continue;
      }
      if (entry.deadline <= now) {
        this.queue.shift();
        this.reject(entry, this.options.timedOut());
        continue;
      }
      const from = entry.next;
      while (entry.next < entry.records.length) {
        const record = entry.records[entry.next]!;
        const size = sizeOf(record);
        if (records > 0 && (bytes + size > maxBatchBytes || records >= maxBatchRecords)) break;
        batch.push(record);
        records++;
        bytes += size;
        entry.unsentBytes -= size;
        this.queuedBytes -= size;
        entry.next++;
      }
      if (entry.next === from) break; // the send is full
      entry.inFlight++;
      entries.push(entry);
      if (entry.next < entry.records.length) break;
      this.queue.shift();
    }
    if (entries.length === 0) return null;
    return { entries, batch, records, bytes, startedAt: performance.now(), timer: null };
  }

  private settle(send: Send, result: { ok: true } | { ok: false; err: unknown }): void {
    if (send.timer) clearTimeout(send.timer);
    if (this.inFlight !== send) return; // abandoned at its deadline; its publishes were already rejected
    this.inFlight = null;
    const error = result.ok ? null : this.options.onSendFailed(result.err);
    this.finish(send, error, error === null ? 'acked' : 'failed');
    this.pump();
    this.maybeDrained();
  }

  private timedOut(send: Send): void {
    if (this.inFlight !== send) return;
    this.inFlight = null;
    this.finish(send, this.options.timedOut(), 'timed_out');
    this.options.onSendTimedOut();
    this.pump();
    this.maybeDrained();
  }

  private finish(send: Send, error: Error | null, outcome: SendOutcome): void {
    for (const entry of send.entries) {
      entry.inFlight--;
      if (error) this.reject(entry, error);
      else if (!entry.settled && entry.inFlight === 0 && entry.next === entry.records.length) {
        entry.settled = true;
        entry.resolve();
      }
    }
    this.options.onSend?.({
      records: send.records,
      bytes: send.bytes,
      publishes: send.entries.length,
      durationSeconds: (performance.now() - send.startedAt) / 1000,
      outcome,
    });
  }

  private reject(entry: Entry, error: Error): void {
    if (entry.settled) return;
    entry.settled = true;
    this.queuedBytes -= entry.unsentBytes;
    entry.unsentBytes = 0;
    entry.next = entry.records.length;
    entry.reject(error);
  }
}
