/**
 * Failpoints: named places in the runtime where a test can make the process die, to prove what
 * happens when a crash lands exactly there (etcd's gofail, TiKV's fail-rs, FoundationDB's buggify
 * do the same). Armed only through STAGE_FAILPOINTS, e.g. `stage.after-produce=3` kills the
 * process with SIGKILL the third time a chunk's outputs are acknowledged and before its offset
 * is committed; `stage.after-produce=3:stall=8000` instead holds that chunk for 8 s, as a long GC
 * pause or a network stall would, so the group can declare the instance dead and give its
 * partitions to another while it still means to commit (a zombie). Unset (production), every
 * `hit` is a map lookup that finds nothing.
 */

/** Where the runtime can be stopped dead, in the order a chunk passes them. */
export const FAILPOINTS = {
  /** The steps ran (a stage's own state writes are done); nothing produced yet. */
  afterSteps: 'stage.after-steps',
  /** The outputs are written (acknowledged, or inside the open transaction); the offset is not committed. */
  afterProduce: 'stage.after-produce',
  /** The chunk is committed (offset, and with exactly-once the transaction). */
  afterCommit: 'stage.after-commit',
} as const;
export type FailpointName = (typeof FAILPOINTS)[keyof typeof FAILPOINTS];

const NAMES = new Set<string>(Object.values(FAILPOINTS));

export interface Failpoints {
  /** Counts a pass through `name`; on the armed pass, kills the process or stalls (the promise resolves after the stall). */
  hit(name: FailpointName): Promise<void> | undefined;
}

export const NO_FAILPOINTS: Failpoints = { hit: () => undefined };

/** What an armed failpoint does: die (SIGKILL by default) or hold the chunk for some milliseconds. */
export interface FailpointActions {
  kill(name: FailpointName): void;
  stall(name: FailpointName, ms: number): Promise<void>;
}

const DEFAULT_ACTIONS: FailpointActions = {
  kill(name) {
    process.stderr.write(`failpoint ${name} reached: SIGKILL\n`);
    process.kill(process.pid, 'SIGKILL');
  },
  stall(name, ms) {
    process.stderr.write(`failpoint ${name} reached: stalling ${ms} ms\n`);
    return new Promise((resolve) => setTimeout(resolve, ms));
  },
};

/**
 * Parses `name=n[:stall=ms][,…]` (n ≥ 1: act on the n-th pass). Throws on an unknown name, a bad
 * count or a bad action, so a typo in a test never silently tests nothing.
 */
export function parseFailpoints(spec: string, actions: FailpointActions = DEFAULT_ACTIONS): Failpoints {
  const armed = new Map<string, { pass: number; stallMs: number | null }>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const rest = eq === -1 ? '' : part.slice(eq + 1);
    if (!NAMES.has(name)) throw new Error(`unknown failpoint "${name}" (known: ${[...NAMES].join(', ')})`);
    const [count, action] = rest.split(':');
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) throw new Error(`failpoint ${name}: "${count ?? ''}" is not a pass number ≥ 1`);
    let stallMs: number | null = null;
    if (action !== undefined) {
      const match = /^stall=(\d+)$/.exec(action);
      if (!match) throw new Error(`failpoint ${name}: "${action}" is not an action (stall=<ms>; none = SIGKILL)`);
      stallMs = Number(match[1]);
    }
    armed.set(name, { pass: n, stallMs });
  }
  if (armed.size === 0) return NO_FAILPOINTS;
  const passes = new Map<string, number>();
  return {
    hit(name) {
      const at = armed.get(name);
      if (at === undefined) return undefined;
      const pass = (passes.get(name) ?? 0) + 1;
      passes.set(name, pass);
      if (pass !== at.pass) return undefined;
      if (at.stallMs !== null) return actions.stall(name, at.stallMs);
      actions.kill(name);
      return undefined;
    },
  };
}
