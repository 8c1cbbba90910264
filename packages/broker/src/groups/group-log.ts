/**
 * The durable part of the group coordinator: committed offsets and each group's protocol type,
 * kept in memory and journaled to `groups.log` (the role of Kafka's __consumer_offsets).
 * Membership is not stored: after a restart members rejoin, as they do with Kafka.
 *
 * Replay applies entries in order (last writer wins per group/topic/partition; a group or topic
 * deletion drops what came before it), then the journal is compacted to one `group` and one
 * `offsets` entry per live group.
 */
import { join } from 'node:path';
import { Journal } from '../storage/journal';
import type { Flusher } from '../storage/flusher';
import type { BrokerLogger } from '../logger';
import type { CommittedOffset } from './types';

/** One journal record of groups.log. */
export type GroupLogEntry =
  | { kind: 'offsets'; group: string; offsets: CommittedOffset[] }
  | { kind: 'group'; group: string; protocolType: string }
  | { kind: 'deleteGroup'; group: string }
  | { kind: 'deleteTopic'; topic: string };

/** group → topic → partition → offset */
type OffsetTable = Map<string, Map<string, Map<number, CommittedOffset>>>;

/** File name of the group journal inside the data dir. */
export const GROUPS_LOG = 'groups.log';

/** Committed offsets and group protocol types, in memory and in groups.log. */
export class GroupLog {
  private readonly offsets: OffsetTable = new Map();
  private readonly protocolTypes = new Map<string, string>();

  private constructor(private readonly journal: Journal<GroupLogEntry>) {}

  /** Opens `dataDir/groups.log`, replays it and compacts it. */
  static open(dataDir: string, flusher: Flusher, logger: BrokerLogger): GroupLog {
    const { journal, entries, truncatedBytes } = Journal.open<GroupLogEntry>(join(dataDir, GROUPS_LOG), flusher);
    if (truncatedBytes > 0) logger.warn('groups.log had a torn or corrupt tail; cut it off', { truncatedBytes });
    const log = new GroupLog(journal);
    for (const e of entries) log.apply(e);
    journal.compact(log.snapshot());
    return log;
  }

  /** Stores offsets (last writer wins); durable once the flusher has flushed. */
  commit(group: string, offsets: readonly CommittedOffset[]): void {
    if (offsets.length === 0) return;
    this.write({ kind: 'offsets', group, offsets: [...offsets] });
  }

  /** Remembers the group's protocol type so ListGroups/DescribeGroups report it after a restart. */
  setProtocolType(group: string, protocolType: string): void {
    if (this.protocolTypes.get(group) !== protocolType) this.write({ kind: 'group', group, protocolType });
  }

  /** Forgets a group and all its offsets. */
  deleteGroup(group: string): void {
    if (this.offsets.has(group) || this.protocolTypes.has(group)) this.write({ kind: 'deleteGroup', group });
  }

  /** Drops every group's offsets for a deleted topic. */
  deleteTopic(topic: string): void {
    for (const topics of this.offsets.values()) {
      if (topics.has(topic)) return this.write({ kind: 'deleteTopic', topic });
    }
  }

  /** The committed offset of one partition, if any. */
  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(group)?.get(topic)?.get(partition);
  }

  /** All committed offsets of a group, by topic. */
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.offsets.get(group) ?? new Map();
  }

  /** Whether the group has any committed offset. */
  hasOffsets(group: string): boolean {
    return this.offsets.has(group);
  }

  /** Groups that have offsets or a stored protocol type. */
  groups(): string[] {
    return [...new Set([...this.offsets.keys(), ...this.protocolTypes.keys()])];
  }

  /** The stored protocol type of a group, if any. */
  protocolType(group: string): string | null {
    return this.protocolTypes.get(group) ?? null;
  }

  /** Syncs and closes the journal. */
  close(): void {
    this.journal.close();
  }

  private write(entry: GroupLogEntry): void {
    this.journal.append(entry);
    this.apply(entry);
  }

  private apply(e: GroupLogEntry): void {
    switch (e.kind) {
      case 'offsets': {
        let topics = this.offsets.get(e.group);
        if (!topics) this.offsets.set(e.group, (topics = new Map()));
        for (const o of e.offsets) {
          let partitions = topics.get(o.topic);
          if (!partitions) topics.set(o.topic, (partitions = new Map()));
          partitions.set(o.partition, o);
        }
        return;
      }
      case 'group':
        this.protocolTypes.set(e.group, e.protocolType);
        return;
      case 'deleteGroup':
        this.offsets.delete(e.group);
        this.protocolTypes.delete(e.group);
        return;
      case 'deleteTopic':
        for (const [group, topics] of this.offsets) {
          topics.delete(e.topic);
          if (topics.size === 0) this.offsets.delete(group);
        }
        return;
    }
  }

  /** The live state as the fewest entries that rebuild it. */
  private snapshot(): GroupLogEntry[] {
    const out: GroupLogEntry[] = [];
    for (const [group, protocolType] of this.protocolTypes) out.push({ kind: 'group', group, protocolType });
    for (const [group, topics] of this.offsets) {
      const offsets = [...topics.values()].flatMap((partitions) => [...partitions.values()]);
      out.push({ kind: 'offsets', group, offsets });
    }
    return out;
  }
}
