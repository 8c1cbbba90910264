/**
 * `stratum demo`: plays the plan (plan.ts) against a running `pnpm start --mock-destinations`
 * over real HTTP, waits — bounded — until delivery has decided every (event, destination) pair
 * and the mocks hold what they should, then prints the report. Before each consent change it
 * waits for the events sent so far to be decided, so the change cannot overtake them: delivery
 * judges consent as it stands when it delivers (docs/delivery.md).
 */
import { checkDestination, duplicateFate, type DestinationVerdict } from './checks';
import { gatewayClient, type GatewayClient } from './gateway-client';
import { readMockConsole, readMockRecording } from './mock-console-client';
import { isFinal, watchOutcomes, type OutcomeLog } from './outcomes';
import { DEMO_CONSENT_PURPOSE, demoPlan, newRunId, type DemoPlan, type DemoStep, type PlannedMessage } from './plan';
import { profileApiClient, type ProfileApiClient, type ProfileView } from './profile-api-client';
import { finalConsents, profileProblems, type ProfileRow } from './profiles';
import { formatDestination, formatDuplicate, formatProfiles } from './report';
import { resolveTargets, type Target } from './targets';
import type { DemoKeys } from './tenant-keys';

export interface DemoOptions {
  readonly gatewayUrl: string;
  readonly profileApiUrl: string;
  readonly mockConsoleUrl: string;
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  readonly keys: DemoKeys;
  /** How long each wait may take. */
  readonly timeoutMs: number;
  /** Table rows per destination; 0: all. */
  readonly rows: number;
  readonly runId?: string;
  readonly out: (line: string) => void;
}

const POLL_MS = 500;

async function poll(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

interface Run {
  readonly plan: DemoPlan;
  readonly options: DemoOptions;
  readonly gateway: GatewayClient;
  readonly profiles: ProfileApiClient;
  readonly targets: readonly Target[];
  readonly outcomes: OutcomeLog;
  readonly sent: PlannedMessage[];
  /** The steps played so far: a run that stops early is judged on these only. */
  readonly played: DemoStep[];
}

const PROGRESS_EVERY_MS = 10_000;

/** Waits until every destination has a final outcome for every message sent so far; says what it waits for every 10 s. */
async function settle(run: Run): Promise<boolean> {
  const started = Date.now();
  let nextProgress = started + PROGRESS_EVERY_MS;
  const pairs = run.sent.length * run.targets.length;
  const pendingAt = (t: Target) => run.sent.filter((m) => !run.outcomes.of(t.destinationId, m.messageId).some(isFinal));
  const pending = () => run.targets.flatMap(pendingAt);
  const progress = () => {
    const waiting = run.targets.flatMap((t) => {
      const open = pendingAt(t);
      if (open.length === 0) return [];
      const retrying = [...new Set(open.flatMap((m) => run.outcomes.of(t.destinationId, m.messageId).map((o) => o.reason ?? o.status)))];
      return [`${t.spec.name} ${open.length}${retrying.length === 0 ? '' : ` (retrying: ${retrying.join(', ')})`}`];
    });
    run.options.out(`     … ${seconds(started)}: waiting for ${waiting.join(', ')}`);
  };
  const done = await poll(async () => {
    if (pending().length === 0) return true;
    if (Date.now() >= nextProgress) {
      nextProgress += PROGRESS_EVERY_MS;
      progress();
    }
    return false;
  }, run.options.timeoutMs);
  run.options.out(done ? `     … delivery decided all ${pairs} (event, destination) pairs in ${seconds(started)}` : `     … after ${seconds(started)} delivery has not decided ${pending().length} of ${pairs} (event, destination) pairs`);
  return done;
}

async function profileOf(run: Run, userKey: string): Promise<ProfileView | null> {
  const user = run.plan.users.find((u) => u.key === userKey)!;
  let profile: ProfileView | null = null;
  await poll(async () => (profile = await run.profiles.findByUserId(user.userId)) !== null, run.options.timeoutMs);
  return profile;
}

async function play(run: Run, step: DemoStep): Promise<string> {
  switch (step.kind) {
    case 'calls':
      for (const m of step.messages) await run.gateway.call(m.type, m.body);
      run.sent.push(...step.messages);
      return `${step.messages.length} requests to /v1/page, /v1/track, /v1/identify`;
    case 'batch':
      await run.gateway.batch(step.messages.map((m) => m.body));
      run.sent.push(...step.messages);
      return `${step.messages.length} events in one /v1/batch`;
    case 'resend':
      await run.gateway.call(step.message.type, step.message.body);
      return `messageId ${step.message.messageId} again`;
    case 'consent': {
      const ids: string[] = [];
      for (const change of step.changes) {
        const profile = await profileOf(run, change.user);
        if (profile === null) throw new Error(`no profile for ${change.user} after ${run.options.timeoutMs / 1000} s: identity resolution did not process the sign-up`);
        await run.profiles.putConsent(profile.id, DEMO_CONSENT_PURPOSE, change.status, { source: 'stratum demo', run: run.plan.runId });
        ids.push(profile.id);
      }
      return `${step.changes.length} × PUT /v1/profiles/{id}/consents (${ids.join(', ')})`;
    }
  }
}

async function verdicts(run: Run): Promise<DestinationVerdict[]> {
  return Promise.all(
    run.targets.map(async (t) => checkDestination(t.spec, run.plan, run.sent, await readMockRecording(run.options.mockConsoleUrl, t.spec.mock), (id) => run.outcomes.of(t.destinationId, id))),
  );
}

async function profileRows(run: Run): Promise<ProfileRow[]> {
  const consents = finalConsents(run.played);
  return Promise.all(
    run.plan.users.map(async (user) => {
      const profile = await run.profiles.findByUserId(user.userId);
      return { user, profile, events: profile ? await run.profiles.eventCount(profile.id) : 0, problems: profileProblems(user, profile, consents.get(user.key) ?? null) };
    }),
  );
}

/** Runs the demo; true when everything expected arrived and nothing else did. */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const { out } = options;
  const plan = demoPlan(options.runId ?? newRunId());
  const gateway = gatewayClient(options.gatewayUrl, options.keys.writeKey);
  const profiles = profileApiClient(options.profileApiUrl, options.keys.adminKey);
  await gateway.check();
  await profiles.check();
  const targets = resolveTargets(await profiles.destinations(), await readMockConsole(options.mockConsoleUrl));
  const outcomes = await watchOutcomes({ brokers: options.brokers, registryUrl: options.registryUrl, tenantId: options.keys.tenantId, messageIdPrefix: `demo-${plan.runId}-`, runId: plan.runId });
  const run: Run = { plan, options, gateway, profiles, targets, outcomes, sent: [], played: [] };
  try {
    out(`Stratum demo, run ${plan.runId}: tenant ${options.keys.tenantId}, gateway ${options.gatewayUrl}, mocks ${options.mockConsoleUrl}`);
    out(`  shoppers: ${plan.users.map((u) => `${u.name} <${u.email}>`).join(', ')}`);
    let settled = true;
    for (const [i, step] of plan.steps.entries()) {
      if (step.kind === 'consent') {
        // A consent change must not overtake the events before it (see above).
        settled = await settle(run);
        if (!settled) break;
      }
      const done = await play(run, step);
      run.played.push(step);
      out(`  ${i + 1}. ${step.title}\n     ${done}`);
    }
    if (settled) settled = await settle(run);
    const started = Date.now();
    let result = await verdicts(run);
    if (settled && !result.every((v) => v.ok)) await poll(async () => (result = await verdicts(run)).every((v) => v.ok), options.timeoutMs);
    if (settled && !result.every((v) => v.ok)) out(`     … the mocks still lack something after ${seconds(started)}`);
    out('');
    const resent = run.played.some((s) => s.kind === 'resend');
    out(`Destinations (what each mock received from this run; ${run.sent.length} distinct events sent${resent ? `, ${run.sent.length + 1} with the duplicate` : ''})`);
    for (const [i, v] of result.entries()) out([...formatDestination(v, plan, targets[i]!.mock.url, options.rows), ''].join('\n'));
    const dupFate = resent ? duplicateFate(targets.map((t) => outcomes.of(t.destinationId, plan.duplicateMessageId))) : 'not_sent';
    out(formatDuplicate(plan, dupFate).join('\n'));
    out('');
    const rows = await profileRows(run);
    out(formatProfiles(rows).join('\n'));
    out('');
    const problem = outcomes.problem();
    if (problem !== null) out(`Note: ${problem}`);
    const delivered = result.reduce((n, v) => n + v.arrived.length - v.unexpected.length, 0);
    const consent = result.reduce((n, v) => n + v.filteredByConsent.length, 0);
    const ok = settled && result.every((v) => v.ok) && rows.every((r) => r.problems.length === 0) && (dupFate === 'dropped_by_dedup' || dupFate === 'skipped_by_ledger');
    out(
      ok
        ? `OK: everything expected arrived and nothing else did — ${delivered} deliveries to ${targets.length} destinations, ${consent} filtered by consent, the duplicate delivered once, ${rows.length} profiles formed.`
        : `INCOMPLETE: see MISSING / UNEXPECTED / OUTCOME / PROBLEM above (waited up to ${options.timeoutMs / 1000} s per step; the service logs are under <data-dir>/logs).`,
    );
    return ok;
  } finally {
    await outcomes.close();
  }
}
