#!/usr/bin/env -S npx tsx
/** `stratum`: the operator's command line. Each command lives in its own file under commands/. */
import { Command } from 'commander';
import { brokerCommand } from './commands/broker';
import { registryCommand } from './commands/registry';
import { startCommand } from './commands/start';
import { topicsCommand } from './commands/topics';

const program = new Command('stratum').description('Stratum streaming customer-data platform').showHelpAfterError();
program.addCommand(startCommand());
program.addCommand(brokerCommand());
program.addCommand(topicsCommand());
program.addCommand(registryCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`stratum: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
