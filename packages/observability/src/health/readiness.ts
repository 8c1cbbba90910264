/**
 * Readiness: named checks of the dependencies a stage needs (kafka, postgres, registry...).
 * A check that hangs is the common failure (a half-open socket, a full pool), so each one
 * races a timeout: a probe always gets an answer, and the answer names the check that hung.
 */

/** One check's result, as it appears in the /readyz body. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why not, when not ok: one line, never a secret. */
  readonly error?: string;
}

/** What a readiness function returns: every named check. Ready when all are ok (or there are none). */
export interface ReadinessReport {
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** A check: resolves (or returns) `true`/nothing when ok; `false` or a throw when not. */
export type ReadinessCheck = () => Promise<boolean | void> | boolean | void;

/** Checks answer within this, so /readyz answers before the server's own 2 s limit. */
export const DEFAULT_CHECK_TIMEOUT_MS = 1500;

/** Error text is cut so a verbose driver error cannot bloat every probe. */
const MAX_ERROR_CHARS = 300;

/** `value`, or a rejection with `timed out after N ms` if it takes longer. */
export async function withTimeout<T>(value: Promise<T> | T, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(value), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line of a thrown value. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0] ?? '';
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  try {
    // Call inside the try: a check may throw synchronously.
    const ok = await withTimeout(Promise.resolve().then(check), timeoutMs);
    return ok === false ? { ok: false, error: 'check failed' } : { ok: true };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** Whether every check of a report is ok. */
export function isReady(report: ReadinessReport): boolean {
  return Object.values(report.checks).every((c) => c.ok);
}

/** A readiness function for `startHealthServer` that runs the named checks in parallel, each with a timeout. */
export function readinessFromChecks(checks: Readonly<Record<string, ReadinessCheck>>, options: { timeoutMs?: number } = {}): () => Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return async () => {
    const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const));
    return { checks: Object.fromEntries(entries) };
  };
}
