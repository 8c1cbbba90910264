/**
 * Group commit for durability. With policy "always" (the default), a response that acknowledges
 * a write (Produce acks≠0, OffsetCommit, TxnOffsetCommit, EndTxn, …) is sent only after every
 * file written before it has been fdatasync'ed. Writes that arrive while a sync is running share
 * the next one, so one fdatasync per dirty file per round covers any number of requests.
 * With policy "os", data is written to the page cache only: it survives kill -9 of the broker,
 * not a power loss or kernel crash. fsync is asynchronous so long-polls and heartbeats stay on time.
 */
import { fdatasync } from 'node:fs';

export type FlushPolicy = 'always' | 'os';

export class Flusher {
  private dirty = new Set<number>();
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** fdatasync calls made, for metrics and tests. */
  syncs = 0;

  constructor(readonly policy: FlushPolicy) {}

  /** Records that `fd` has unsynced writes. */
  markDirty(fd: number): void {
    if (this.policy === 'always') this.dirty.add(fd);
  }

  /** Forgets a file that is being closed (it is synced by the closer). */
  forget(fd: number): void {
    this.dirty.delete(fd);
  }

  /** Resolves once everything written before this call is durable under the policy. */
  flushed(): Promise<void> {
    if (this.policy === 'os' || (this.dirty.size === 0 && !this.running)) return Promise.resolve();
    if (!this.running) {
      this.running = this.syncAll();
      return this.running;
    }
    // A sync is running but may have started before our write: queue one more round.
    this.next ??= this.running.then(() => {
      this.next = null;
      this.running = this.syncAll();
      return this.running;
    });
    return this.next;
  }

  private async syncAll(): Promise<void> {
    // Let the rest of this event-loop turn add its writes to the same round.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const fds = [...this.dirty];
    this.dirty.clear();
    try {
      await Promise.all(fds.map((fd) => syncOne(fd)));
      this.syncs += fds.length;
    } finally {
      this.running = null;
    }
  }
}

function syncOne(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fdatasync(fd, (err) => {
      // EBADF: the file was closed (segment deleted by retention) after it was written; its data
      // went with it or was synced on close.
      if (err && err.code !== 'EBADF') reject(err);
      else resolve();
    }),
  );
}
