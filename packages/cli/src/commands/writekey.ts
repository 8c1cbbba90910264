/** `stratum writekey rotate`: a new write key for a source; the old ones stop working now or after --grace. */
import { Command } from 'commander';
import { rotateWriteKey } from '@stratum/tenancy';
import { duration } from '../flags';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';

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
