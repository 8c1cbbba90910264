#!/usr/bin/env -S npx tsx
/** `stratum`: the operator's command line. Each command lives in its own file under commands/. */
import { Command } from 'commander';
import { brokerCommand } from './commands/broker';
import { dbCommand } from './commands/db';
import { demoCommand } from './commands/demo';
import { dncCommand } from './commands/dnc';
import { destinationCommand } from './commands/destination';
import { dlqCommand } from './commands/dlq';
import { identityCommand } from './commands/identity';
import { importCommand } from './commands/import';
import { registryCommand } from './commands/registry';
import { sourceCommand } from './commands/source';
import { startCommand } from './commands/start';
import { tenantCommand } from './commands/tenant';
import { topicsCommand } from './commands/topics';
import { traceCommand } from './commands/trace';
import { writekeyCommand } from './commands/writekey';

const program = new Command('stratum').description('Stratum streaming customer-data platform').showHelpAfterError();
program.addCommand(startCommand());
program.addCommand(brokerCommand());
program.addCommand(topicsCommand());
program.addCommand(registryCommand());
program.addCommand(dbCommand());
program.addCommand(tenantCommand());
program.addCommand(sourceCommand());
program.addCommand(writekeyCommand());
program.addCommand(identityCommand());
program.addCommand(destinationCommand());
program.addCommand(dlqCommand());
program.addCommand(dncCommand());
program.addCommand(importCommand());
program.addCommand(demoCommand());
program.addCommand(traceCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`stratum: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
