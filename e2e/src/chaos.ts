/**
 * The fault loop: every few seconds (with jitter) one process of the cluster — a stage, the
 * gateway, the registry or the broker — is killed with SIGKILL at whatever it was doing; its
 * supervisor starts it again. Victims come in shuffled rounds (each process once per round) from a
 * seeded generator, so a failing run can be replayed with the same sequence.
 */
import type { Cluster } from './cluster';
import { seededRandom } from './traffic';

export interface ChaosOptions {
  /** Mean pause between kills. */
  readonly intervalMs: number;
  /** Process names to kill (default: every process of the cluster). */
  readonly victims?: readonly string[];
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface Chaos {
  /** Kills so far: [ms since start, process name]. */
  readonly kills: ReadonlyArray<readonly [number, string]>;
  /** Stops killing and waits until every process is up again. */
  stop(): Promise<void>;
}

function shuffled(list: readonly string[], random: () => number): string[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function startChaos(cluster: Cluster, options: ChaosOptions): Chaos {
  const random = seededRandom(options.seed ?? 7);
  const victims = options.victims ?? [...cluster.processes.keys()];
  const kills: Array<readonly [number, string]> = [];
  const started = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: string[] = [];

  const next = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        // Shuffled rounds: every victim is killed once per round, in a random order.
        if (round.length === 0) round = shuffled(victims, random);
        const name = round.pop()!;
        const victim = cluster.process(name);
        // A process still restarting from the last kill is left alone: kill what is running.
        if (victim.pid !== null) {
          victim.kill9();
          kills.push([Date.now() - started, name]);
          options.log?.(`chaos: kill -9 ${name} at +${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
        next();
      },
      options.intervalMs * (0.5 + random()),
    );
  };
  next();

  return {
    kills,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await cluster.allReady();
    },
  };
}
