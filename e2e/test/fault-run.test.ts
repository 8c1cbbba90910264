/**
 * The end-to-end promise under faults (`pnpm test:e2e`): Segment's SDK → gateway → ingest → dedup
 * → identity-resolution → delivery-adapter ⇄ retry → mock destinations, each a process, the broker
 * and registry too. While the bulk is sent, processes are killed with SIGKILL at random and one
 * destination answers 503 for a while. At the end every unique accepted event reached every
 * destination that should have it exactly once, on its user's golden record, and consent held.
 *
 * E2E_EVENTS, E2E_USERS, E2E_RATE, E2E_KILL_INTERVAL_MS and E2E_SEED size the run (the CI variant
 * by default; `pnpm bench e2e` runs the long one).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestPostgres } from '@stratum/testing';
import { formatReport, runFaultScenario, type FaultRunResult } from '../src/index';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const EVENTS = env('E2E_EVENTS', 6_000);
const postgres = useTestPostgres();
jest.setTimeout(30 * 60_000);

let result: FaultRunResult;

beforeAll(async () => {
  const database = await postgres.newDatabase();
  const workDir = mkdtempSync(join(tmpdir(), 'stratum-e2e-'));
  const log = (line: string) => process.stdout.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  result = await runFaultScenario({
    databaseUrl: database.url,
    workDir,
    events: EVENTS,
    users: env('E2E_USERS', Math.max(20, Math.round(EVENTS / 100))),
    rate: env('E2E_RATE', 300),
    killIntervalMs: env('E2E_KILL_INTERVAL_MS', 4_000),
    chaosTailMs: env('E2E_CHAOS_TAIL_MS', 30_000),
    flakyOutageMs: 15_000,
    drainTimeoutMs: env('E2E_DRAIN_TIMEOUT_MS', 240_000),
    seed: env('E2E_SEED', 1),
    log,
  });
  const counts = {
    sent: result.bulk.calls + result.plan.identifies.length,
    unique: result.uniqueEvents,
    accepted: result.accepted,
    refusedBySdk: result.refused,
    kills: result.kills,
    unplannedCrashes: result.crashes,
    drainedAfterS: Math.round(result.drainedAfterMs / 1000),
  };
  log(`counts: ${JSON.stringify(counts)}`);
  log(`per destination:\n${formatReport(result.sinks)}`);
  log(`profiles: ${result.profiles.eventsChecked} events checked, ${result.profiles.split.length} users split, ${result.profiles.shared.length} profiles shared`);
});

it('accepted every event the SDK sent, through kills of the gateway and the broker', () => {
  expect(result.refused).toBe(0);
  expect(result.accepted).toBe(result.uniqueEvents);
});

it('killed processes while the bulk was sent and drained, and the flaky destination failed for a while', () => {
  expect(Object.values(result.kills).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  expect(result.sinks.find((s) => s.sink === 'flaky')!.faulted).toBeGreaterThan(0);
});

it('delivered every event exactly once to each destination that should have it, and nothing it should not', () => {
  for (const sink of result.sinks) {
    expect({ sink: sink.sink, lost: sink.lost.slice(0, 10), unexpected: sink.unexpected.slice(0, 10), twice: sink.twice.slice(0, 10) }).toEqual({ sink: sink.sink, lost: [], unexpected: [], twice: [] });
  }
  expect(result.deliveredAll).toBe(true);
});

it("put every event on its user's golden record, through device merges", () => {
  expect(result.profiles.split).toEqual([]);
  expect(result.profiles.shared).toEqual([]);
  expect(result.profiles.eventsChecked).toBeGreaterThan(0);
});
