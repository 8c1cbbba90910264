/**
 * `stratum demo` (`pnpm demo`): sends realistic traffic through a running
 * `pnpm start --mock-destinations` and shows what reached each mock destination, what consent
 * filtered, what dedup dropped and which profiles formed (docs/demo.md). Exit 0 when everything
 * expected arrived, 1 when something is missing or unexpected, 2 when there is nothing to run
 * against (the platform is not up, or has no mock destinations).
 */
import { Command, InvalidArgumentError } from 'commander';
import { DemoError } from '../demo/http';
import { runDemo } from '../demo/run-demo';
import { demoKeys } from '../demo/tenant-keys';
import { brokerList } from '../flags';

interface DemoFlags {
  gatewayUrl: string;
  profileApiUrl: string;
  mockConsoleUrl: string;
  brokers: string[];
  registryUrl: string;
  dataDir: string;
  tenantId?: string;
  writeKey?: string;
  adminKey?: string;
  timeout: number;
  rows: number;
}

function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // refused below
  }
  throw new InvalidArgumentError(`expected an http(s) URL, got "${value}"`);
}

function seconds(value: string): number {
  const n = Number(value.replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number of seconds, got "${value}"`);
  return n;
}

function rowCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected 0 (all) or a positive integer, got "${value}"`);
  return n;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('send realistic traffic through a running `pnpm start --mock-destinations` and show what reached each destination')
    .option('--gateway-url <url>', 'the gateway (Segment API)', httpUrl, 'http://127.0.0.1:8080')
    .option('--profile-api-url <url>', 'the profile API', httpUrl, 'http://127.0.0.1:8090')
    .option('--mock-console-url <url>', 'the mock destinations console', httpUrl, 'http://127.0.0.1:9600')
    .option('--brokers <host:port,...>', 'Kafka, to read delivery.outcomes', brokerList, ['127.0.0.1:9092'])
    .option('--registry-url <url>', 'the schema registry', httpUrl, 'http://127.0.0.1:8081')
    .option('--data-dir <dir>', "where `pnpm start` keeps the demo tenant's keys (demo-tenant.json)", './data')
    .option('--tenant-id <id>', 'the demo tenant (default: from demo-tenant.json)')
    .option('--write-key <key>', "the demo source's write key (default: from demo-tenant.json)")
    .option('--admin-key <key>', "the demo tenant's admin key (default: from demo-tenant.json)")
    .option('--timeout <seconds>', 'how long each wait for delivery may take', seconds, 60)
    .option('--rows <n>', 'table rows per destination (0: all)', rowCount, 8)
    .action(async (flags: DemoFlags) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const keys = demoKeys(flags.dataDir, { ...(flags.tenantId ? { tenantId: flags.tenantId } : {}), ...(flags.writeKey ? { writeKey: flags.writeKey } : {}), ...(flags.adminKey ? { adminKey: flags.adminKey } : {}) });
        const ok = await runDemo({
          gatewayUrl: flags.gatewayUrl,
          profileApiUrl: flags.profileApiUrl,
          mockConsoleUrl: flags.mockConsoleUrl,
          brokers: flags.brokers,
          registryUrl: flags.registryUrl,
          keys,
          timeoutMs: flags.timeout * 1000,
          rows: flags.rows,
          out,
        });
        process.exitCode = ok ? 0 : 1;
      } catch (err) {
        if (!(err instanceof DemoError)) throw err;
        process.stderr.write(`stratum demo: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
