// Placeholder shape; the group coordinator is being written (see groups/README in the brief).
import type { BrokerConfig } from '../config';
import type { Flusher } from '../storage/flusher';

/** One committed offset of a group. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** Consumer groups: membership, rebalances, committed offsets. */
export class GroupCoordinator {
  constructor(
    readonly config: BrokerConfig,
    readonly flusher: Flusher,
  ) {}
  /** Applies offsets (e.g. those a committed transaction staged). */
  commitOffsets(_groupId: string, _offsets: readonly CommittedOffset[]): void {}
  /** Drops offsets of a deleted topic. */
  removeTopic(_topic: string): void {}
  /** Periodic: session timeouts etc. */
  tick(_now: number): void {}
  /** Stops timers and closes files. */
  close(): void {}
}
