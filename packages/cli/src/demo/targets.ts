/**
 * The demo destinations as they are: each DEMO_DESTINATIONS entry found among the tenant's
 * destinations (profile API), enabled, and pointing at its mock in the running console. Anything
 * else means the platform was not started with --mock-destinations (or was changed since), which
 * the demo says before sending anything.
 */
import { DEMO_DESTINATIONS, type DemoDestinationSpec } from './destinations';
import { DemoError, START_COMMAND } from './http';
import type { PlatformOverview } from './mock-console-client';
import type { DestinationView } from './profile-api-client';

export interface Target {
  readonly spec: DemoDestinationSpec;
  readonly destinationId: string;
  readonly mock: PlatformOverview;
}

/** Where a destination sends: the webhook's url, or another adapter's baseUrl. */
function endpointOf(d: DestinationView): string {
  const { url, baseUrl } = d.settings;
  return typeof url === 'string' ? url : typeof baseUrl === 'string' ? baseUrl : '(the platform itself)';
}

export function resolveTargets(destinations: readonly DestinationView[], mocks: readonly PlatformOverview[]): Target[] {
  const problems: string[] = [];
  const targets: Target[] = [];
  for (const spec of DEMO_DESTINATIONS) {
    const d = destinations.find((x) => x.name.toLowerCase() === spec.name);
    const mock = mocks.find((m) => m.name === spec.mock);
    if (d === undefined) problems.push(`the demo tenant has no destination ${spec.name}`);
    else if (mock === undefined) problems.push(`the mock console has no ${spec.mock} mock`);
    else if (!d.enabled) problems.push(`${spec.name} is disabled (pnpm stratum destination enable --tenant demo ${spec.name})`);
    else if (!endpointOf(d).startsWith(mock.url)) problems.push(`${spec.name} sends to ${endpointOf(d)}, not to the ${spec.mock} mock at ${mock.url}`);
    else targets.push({ spec, destinationId: d.destinationId, mock });
  }
  if (problems.length > 0) throw new DemoError(`the demo destinations are not set up: ${problems.join('; ')}. \`${START_COMMAND}\` creates them and points them at the mocks (restart it if it runs without --mock-destinations).`);
  return targets;
}
