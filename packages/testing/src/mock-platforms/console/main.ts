/**
 * The mock destinations as a process (`pnpm start --mock-destinations` supervises it; or run it
 * alone: `npx tsx packages/testing/src/mock-platforms/console/main.ts --port 9600`). The port is
 * `--port`, else MOCK_DESTINATIONS_PORT, else 9600. Prints one line once everything listens
 * ("mock destinations ready: …", which the supervisor waits for) and stops on SIGTERM or SIGINT.
 */
import { DEFAULT_MOCK_DESTINATIONS_PORT, startMockDestinations } from './mock-destinations';

function portFrom(argv: readonly string[], fromEnv: string | undefined): number {
  const flag = argv.indexOf('--port');
  const raw = flag >= 0 ? argv[flag + 1] : fromEnv;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MOCK_DESTINATIONS_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`the port must be an integer 0–65535, got "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- a process entry point reads its one setting, as a service's main does
  const port = portFrom(process.argv.slice(2), process.env.MOCK_DESTINATIONS_PORT);
  const mocks = await startMockDestinations({ port });
  const urls = [`console ${mocks.consoleUrl}`, ...mocks.platforms.map((p) => `${p.name} ${p.url}`)];
  process.stdout.write(`mock destinations ready: ${urls.join('  ')}\n`);
  const stop = () => {
    void mocks.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`mock destinations: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
