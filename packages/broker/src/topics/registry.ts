/**
 * The topics of this node: names, ids, partition counts and configs, persisted atomically in
 * `topics.json`; each partition's log lives in `<dataDir>/<topic>-<n>/`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionLog } from '../log/partition-log';
import type { Flusher } from '../storage/flusher';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file';
import type { BrokerLogger } from '../logger';
import { Partition } from './partition';
import { logConfigOf } from './topic-config';

export interface Topic {
  readonly name: string;
  /** Kafka topic id (UUID), stable across restarts. */
  readonly id: string;
  configs: Record<string, string>;
  partitions: Partition[];
  /** Internal topics (none yet) are hidden from auto-creation. */
  readonly internal: boolean;
}

interface TopicsFile {
  version: 1;
  topics: { name: string; id: string; partitions: number; configs: Record<string, string> }[];
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal topic name, or null (Kafka's Topic.validate rules). */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > 249) return `topic name is ${name.length} characters, the limit is 249`;
  if (!LEGAL_NAME.test(name)) return `topic name "${name}" may contain only ASCII letters, digits, ".", "_" and "-"`;
  return null;
}

export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();
  private readonly file: string;

  constructor(
    private readonly dataDir: string,
    private readonly flusher: Flusher,
    private readonly logger: BrokerLogger,
  ) {
    this.file = join(dataDir, 'topics.json');
  }

  /** Loads topics.json and opens (recovers) every partition log. */
  load(clean: boolean): void {
    const saved = readJsonFile<TopicsFile>(this.file);
    for (const t of saved?.topics ?? []) {
      const topic: Topic = { name: t.name, id: t.id, configs: t.configs, partitions: [], internal: false };
      for (let i = 0; i < t.partitions; i++) topic.partitions.push(this.openPartition(topic, i, clean));
      this.topics.set(t.name, topic);
    }
  }

  private openPartition(topic: Topic, index: number, clean: boolean): Partition {
    const dir = join(this.dataDir, `${topic.name}-${index}`);
    mkdirSync(dir, { recursive: true });
    const log = PartitionLog.open(dir, logConfigOf(topic.configs), this.flusher, { clean });
    if (log.recovery.truncatedBytes > 0) {
      this.logger.warn('truncated a torn or corrupt log tail', { topic: topic.name, partition: index, bytes: log.recovery.truncatedBytes });
    }
    const partition = new Partition(topic.name, index, log);
    partition.rebuildFromLog();
    return partition;
  }

  private save(): void {
    const file: TopicsFile = {
      version: 1,
      topics: [...this.topics.values()].map((t) => ({ name: t.name, id: t.id, partitions: t.partitions.length, configs: t.configs })),
    };
    writeFileAtomic(this.file, JSON.stringify(file, null, 2));
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  /** The partition, or undefined when the topic or index does not exist. */
  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Creates a topic (the caller validated name, count and configs). */
  create(name: string, partitions: number, configs: Record<string, string>): Topic {
    const topic: Topic = { name, id: randomUUID(), configs, partitions: [], internal: false };
    for (let i = 0; i < partitions; i++) {
      // A stale directory from a crash during an earlier delete must not resurrect old data.
      const dir = join(this.dataDir, `${name}-${i}`);
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      topic.partitions.push(this.openPartition(topic, i, true));
    }
    this.topics.set(name, topic);
    this.save();
    this.logger.info('topic created', { topic: name, partitions });
    return topic;
  }

  /** Deletes a topic and its data. */
  delete(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    this.topics.delete(name);
    this.save();
    for (const p of topic.partitions) {
      p.log.destroy();
      p.changed();
    }
    this.logger.info('topic deleted', { topic: name });
  }

  /** Grows a topic to `total` partitions. */
  addPartitions(name: string, total: number): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    for (let i = topic.partitions.length; i < total; i++) topic.partitions.push(this.openPartition(topic, i, true));
    this.save();
  }

  /** Replaces a topic's explicit configs and applies them to its logs. */
  setConfigs(name: string, configs: Record<string, string>): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    topic.configs = configs;
    for (const p of topic.partitions) p.log.setConfig(logConfigOf(configs));
    this.save();
  }

  /** Closes every log cleanly. */
  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.log.close();
  }
}
