/**
 * Everything one broker node owns, shared by the API handlers. One event loop owns all of it
 * (as kfake's Cluster.run does): handlers mutate state synchronously and only wait on I/O
 * (fsync) or on other clients (long-poll fetch, group joins), never hold locks.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BrokerConfig } from './config';
import { Flusher } from './storage/flusher';
import { readJsonFile, writeFileAtomic } from './storage/atomic-file';
import { lockDataDir } from './storage/data-dir-lock';
import { TopicRegistry } from './topics/registry';
import { configValue } from './topics/topic-config';
import { GroupCoordinator } from './groups/coordinator';
import { TransactionCoordinator } from './txn/coordinator';
import type { BrokerLogger } from './logger';

interface MetaFile {
  formatVersion: 1;
  clusterId: string;
  nodeId: number;
}

const CLEAN_SHUTDOWN = '.clean_shutdown';

export class BrokerState {
  readonly flusher: Flusher;
  readonly topics: TopicRegistry;
  readonly groups: GroupCoordinator;
  readonly txns: TransactionCoordinator;
  readonly clusterId: string;
  readonly logger: BrokerLogger;
  private housekeeping: NodeJS.Timeout | null = null;
  private unlock: () => void = () => undefined;

  private constructor(
    readonly config: BrokerConfig,
    clusterId: string,
    clean: boolean,
  ) {
    this.logger = config.logger;
    this.clusterId = clusterId;
    this.flusher = new Flusher(config.flush);
    this.topics = new TopicRegistry(config.dataDir, this.flusher, this.logger);
    this.topics.load(clean);
    this.groups = GroupCoordinator.open(config, this.flusher, this.logger);
    this.txns = TransactionCoordinator.open(this);
  }

  /** Opens (or initialises) the data directory and recovers all state from it. */
  static open(config: BrokerConfig): BrokerState {
    mkdirSync(config.dataDir, { recursive: true });
    const unlock = lockDataDir(config.dataDir);
    try {
      const state = BrokerState.recover(config);
      state.unlock = unlock;
      return state;
    } catch (err) {
      unlock();
      throw err;
    }
  }

  private static recover(config: BrokerConfig): BrokerState {
    const metaPath = join(config.dataDir, 'meta.json');
    let meta = readJsonFile<MetaFile>(metaPath);
    if (!meta) {
      meta = { formatVersion: 1, clusterId: randomUUID().replace(/-/g, '').slice(0, 22), nodeId: config.nodeId };
      writeFileAtomic(metaPath, JSON.stringify(meta, null, 2));
    }
    const marker = join(config.dataDir, CLEAN_SHUTDOWN);
    const clean = existsSync(marker);
    // From now on a crash must be treated as unclean.
    if (clean) rmSync(marker);
    const state = new BrokerState(config, meta.clusterId, clean);
    state.housekeeping = setInterval(() => state.tick(Date.now()), config.housekeepingIntervalMs);
    state.housekeeping.unref();
    return state;
  }

  /** Periodic work: retention, compaction, group sessions, transaction timeouts. */
  tick(now: number): void {
    try {
      this.txns.tick(now);
      this.groups.tick(now);
      for (const topic of this.topics.list()) {
        for (const p of topic.partitions) {
          const policy = configValue(topic.configs, 'cleanup.policy');
          if (policy.includes('delete') && p.log.enforceRetention(now) > 0) p.pruneAborted();
          if (policy.includes('compact')) p.log.compact(now, p.lastStableOffset);
        }
      }
    } catch (err) {
      this.logger.error('housekeeping failed', { err: String(err) });
    }
  }

  /** Flushes and closes everything and leaves the clean-shutdown marker. */
  close(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.txns.close();
    this.groups.close();
    this.topics.close();
    writeFileSync(join(this.config.dataDir, CLEAN_SHUTDOWN), '');
    this.unlock();
  }
}
