/** `stratum writekey rotate`: a new write key for a source; the old ones stop working now or after --grace. */
import { Command, InvalidArgumentError } from 'commander';
import { rotateWriteKey } from '@stratum/tenancy';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';

/** 90, 90s, 15m, 24h, 7d → seconds. */
function duration(value: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`must be a duration such as 0, 90s, 15m, 24h or 7d, got "${value}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

export function writekeyCommand(): Command {
  const rotate = databaseCommand('rotate', 'issue a new write key for a source and expire the current ones')
    .requiredOption('--source <id>', 'the source')
    .option('--grace <duration>', 'keep the old keys working this long (e.g. 24h) so SDKs can be updated; default 0 = revoke now', duration)
    .action((flags: DatabaseFlags & { source: string; grace?: number }) =>
      runWithDatabase('writekey rotate', flags, (db) => rotateWriteKey(db, flags.source, { graceSeconds: flags.grace ?? 0 }), (r) =>
        lines([
          ['sourceId', r.sourceId],
          ['writeKey', r.writeKey],
          ['previous', `${r.previousKeys} key(s) stop working at ${r.previousKeysExpireAt}`],
        ]),
      ),
    );
  return new Command('writekey').description("a source's write keys").addCommand(rotate);
}
