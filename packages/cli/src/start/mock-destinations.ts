/**
 * `stratum start --mock-destinations`: the mock destinations of @stratum/testing (a webhook
 * receiver, Meta CAPI, GA4 and TikTok, with a control console) as one more supervised child
 * process, and the demo tenant's destinations pointed at them (demo-webhook, demo-meta, demo-ga4,
 * demo-tiktok; demo-meta only for profiles that granted marketing consent). The mocks listen on
 * fixed ports (console 9600, mocks 9601–9604), so the destinations stay right when the process
 * restarts; they are still updated at every start, which also re-encrypts their credentials under
 * the current dev key. Local development only: @stratum/testing is a dev dependency.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDb } from '@stratum/db';
import { credentialKeyringFromEnv } from '@stratum/destinations';
import { ensureDemoDestinations } from '../demo/demo-destinations';
import { readMockConsole } from '../demo/mock-console-client';
import { superviseService, type SupervisedService } from './service-process';

export interface MockDestinationsOptions {
  /** The console's port; the mocks take the next four. */
  readonly port: number;
  readonly databaseUrl: string;
  readonly tenantId: string;
  /** The STRATUM_CREDENTIALS_KEYS value the services get. */
  readonly credentialKeys: string;
  readonly logDir: string;
  readonly cwd: string;
  readonly report: (line: string) => void;
}

export interface StartedMockDestinations {
  readonly service: SupervisedService;
  readonly consoleUrl: string;
  bannerLines(): string[];
  tryLines(): string[];
}

/** The delivery-adapter's extra environment: the mocks are on 127.0.0.1, which the webhook SSRF guard refuses otherwise. */
export const MOCK_DELIVERY_ENV = { DELIVERY_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } as const;

const READY = /mock destinations ready/;

/** The console's entry file, through @stratum/testing's exports rather than a path into its src/. */
function consoleEntry(): string {
  return createRequire(import.meta.url).resolve('@stratum/testing/mock-destinations/main');
}

export async function startMockDestinations(options: MockDestinationsOptions): Promise<StartedMockDestinations> {
  // The destinations are stored with these ports, so they must be known (not 0) and leave room for the four mocks.
  if (options.port < 1 || options.port > 65_531) throw new Error(`--mock-destinations-port must be a fixed port from 1 to 65531 (the mocks take the next four), got ${options.port}`);
  const service = superviseService(
    { name: 'mock-destinations', entry: consoleEntry(), env: { MOCK_DESTINATIONS_PORT: String(options.port) } },
    { logDir: options.logDir, cwd: options.cwd, readyLine: READY, report: options.report },
  );
  const consoleUrl = `http://127.0.0.1:${options.port}`;
  try {
    await service.started;
    const mocks = await readMockConsole(consoleUrl);
    const db = createDb(options.databaseUrl, { maxConnections: 1, applicationName: 'stratum start (mock destinations)' });
    try {
      await ensureDemoDestinations(db, credentialKeyringFromEnv({ STRATUM_CREDENTIALS_KEYS: options.credentialKeys }), options.tenantId, mocks);
    } finally {
      await db.destroy();
    }
    const urls = mocks.map((m) => `${m.name} ${m.url}`).join('  ');
    return {
      service,
      consoleUrl,
      bannerLines: () => [`  Mock destinations        ${consoleUrl}   ${urls}   (demo-webhook, demo-meta [consent: marketing], demo-ga4, demo-tiktok; log ${join(options.logDir, 'mock-destinations.log')})`],
      tryLines: () => [`  pnpm demo   # realistic traffic through the gateway; prints what reached each mock (${consoleUrl})`],
    };
  } catch (err) {
    await service.stop();
    throw err;
  }
}
