/**
 * The mock destinations as one unit: the webhook receiver, Meta CAPI, GA4 and TikTok mocks, each
 * served on a fixed port next to the control console (console on `port`, the mocks on port+1…),
 * or all on OS-chosen ports with port 0 (tests).
 */
import { startControlServer, type ControlServer, type ServedPlatform } from './control-server';
import { consolePlatforms, type ConsolePlatform } from './platforms';

export interface MockDestinationsOptions {
  /** The console's port; the mocks take the next ones in order. 0: every port chosen by the OS. Default 9600. */
  port?: number;
  host?: string;
}

export interface MockDestinations {
  /** The control console, e.g. `http://127.0.0.1:9600`. */
  readonly consoleUrl: string;
  readonly platforms: ReadonlyArray<Pick<ServedPlatform, 'name' | 'url'>>;
  /** Stops the console and the mocks. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_MOCK_DESTINATIONS_PORT = 9600;

export async function startMockDestinations(options: MockDestinationsOptions = {}): Promise<MockDestinations> {
  const base = options.port ?? DEFAULT_MOCK_DESTINATIONS_PORT;
  const host = options.host ?? '127.0.0.1';
  const platforms = consolePlatforms();
  const stops: Array<() => Promise<void>> = [];
  let stopped: Promise<void> | undefined;
  // Reverse order: the console closes before the mocks it describes.
  const stop = () => (stopped ??= (async () => {
    for (const s of stops.reverse()) await s();
  })());
  try {
    const served: ServedPlatform[] = [];
    for (const [i, p] of platforms.entries()) served.push(await serve(p, base === 0 ? 0 : base + 1 + i, stops));
    const control: ControlServer = await startControlServer({ port: base, host, platforms: served });
    stops.push(() => control.stop());
    return { consoleUrl: control.url, platforms: served.map(({ name, url }) => ({ name, url })), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function serve(p: ConsolePlatform, port: number, stops: Array<() => Promise<void>>): Promise<ServedPlatform> {
  const running = await p.mock.start({ port });
  stops.push(() => running.stop());
  return { ...p, url: running.url };
}
