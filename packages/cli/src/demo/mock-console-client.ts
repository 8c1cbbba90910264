/**
 * The mock destinations console (@stratum/testing, `GET /` and `GET /{name}/events`), read over
 * HTTP: `pnpm start --mock-destinations` takes each mock's destination settings from it, and
 * `pnpm demo` what each mock received. Only the types come from @stratum/testing (a dev
 * dependency); the console itself is a separate process.
 */
import type { EventSummary, PlatformOverview } from '@stratum/testing';
import { DemoError, isObject, okJson, START_COMMAND } from './http';

export type { EventSummary, PlatformOverview };

export interface MockRecording {
  readonly name: string;
  readonly events: readonly EventSummary[];
  /** Events the platform recognised as repeats (same event_id / webhook-id): Stratum sent them again. */
  readonly duplicates: readonly EventSummary[];
  readonly rejected: ReadonlyArray<{ readonly status: number; readonly reason: string; readonly detail: string }>;
  readonly dropped: ReadonlyArray<{ readonly reason: string }>;
}

const WHAT = 'the mock destinations console';
const HINT = `Was the platform started without them? Restart it with \`${START_COMMAND}\`, or pass --mock-console-url if the console listens elsewhere.`;

export async function readMockConsole(consoleUrl: string): Promise<PlatformOverview[]> {
  const body = await okJson(WHAT, consoleUrl, {}, HINT);
  if (!isObject(body) || !Array.isArray(body.platforms)) throw new DemoError(`${consoleUrl} is not the mock destinations console (no "platforms" in its answer)`);
  return body.platforms as PlatformOverview[];
}

export async function readMockRecording(consoleUrl: string, name: string): Promise<MockRecording> {
  const body = await okJson(WHAT, `${consoleUrl}/${encodeURIComponent(name)}/events`, {}, HINT);
  if (!isObject(body) || !Array.isArray(body.events)) throw new DemoError(`${consoleUrl}/${name}/events is not a mock recording`);
  return body as unknown as MockRecording;
}
