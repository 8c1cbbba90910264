#!/usr/bin/env -S npx tsx
/**
 * `stratum`: the operator's command line. Each command lives in its own file under commands/.
 * Only the command named on the line is loaded (each pulls in its own clients: Kafka, PostgreSQL,
 * the matcher…, and through tsx loading them all took about a second per invocation); help, an
 * unknown command or none load every one, so the listing and commander's suggestions are whole.
 */
import { Command } from 'commander';

/** In the order `stratum --help` lists them. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start')).startCommand(),
  broker: async () => (await import('./commands/broker')).brokerCommand(),
  topics: async () => (await import('./commands/topics')).topicsCommand(),
  registry: async () => (await import('./commands/registry')).registryCommand(),
  db: async () => (await import('./commands/db')).dbCommand(),
  tenant: async () => (await import('./commands/tenant')).tenantCommand(),
  source: async () => (await import('./commands/source')).sourceCommand(),
  writekey: async () => (await import('./commands/writekey')).writekeyCommand(),
  identity: async () => (await import('./commands/identity')).identityCommand(),
  destination: async () => (await import('./commands/destination')).destinationCommand(),
  dlq: async () => (await import('./commands/dlq')).dlqCommand(),
  dnc: async () => (await import('./commands/dnc')).dncCommand(),
  import: async () => (await import('./commands/import')).importCommand(),
  demo: async () => (await import('./commands/demo')).demoCommand(),
  trace: async () => (await import('./commands/trace')).traceCommand(),
};

async function main(): Promise<void> {
  const program = new Command('stratum').description('Stratum streaming customer-data platform').showHelpAfterError();
  const named = process.argv[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const command of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) program.addCommand(command);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`stratum: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
