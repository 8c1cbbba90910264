/**
 * `stratum dnc import|remove|list`: a tenant's do-not-contact lists (@stratum/identity,
 * docs/identity.md). import lists identifiers from a file and marks every profile holding one
 * (delivery then skips them: docs/delivery.md); identity resolution marks profiles that gain a
 * listed identifier later. remove takes identifiers off and unmarks profiles nothing else listed
 * holds. Files are streamed and written in batches of 1,000 per transaction.
 *
 * Phones are not copied into delivery_opt_outs: that table is the recipient's own STOP per SMS
 * channel, which START undoes; a list an operator imported must not be lifted by a text message,
 * nor a person's STOP by `dnc remove`.
 */
import { Command, InvalidArgumentError, type CommanderError } from 'commander';
import { withTenant } from '@stratum/db';
import { addDoNotContact, DO_NOT_CONTACT_TYPES, listDoNotContact, removeDoNotContact, type DoNotContactListing, type DoNotContactType } from '@stratum/identity';
import { findTenant } from '@stratum/tenancy';
import { positive } from '../flags';
import { DB_EXIT_CODES, lines, type DatabaseFlags } from './database-command';
import { emptyReport, openInput, validBatches, writeAll, writeBatch, type ReadReport } from './dnc-import';
import { DNC_EXIT_HELP, runDnc } from './dnc-run';

const MAX_TEXT = 1000;

function identifierType(value: string): DoNotContactType {
  if (!(DO_NOT_CONTACT_TYPES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${DO_NOT_CONTACT_TYPES.join(', ')}, got "${value}"`);
  return value as DoNotContactType;
}

function region(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value)) throw new InvalidArgumentError(`must be an ISO 3166-1 alpha-2 code such as AU or US, got "${value}"`);
  return value.toUpperCase();
}

/** A list name or reason: stored as text, so no NUL, and short. */
function label(what: string) {
  return (value: string): string => {
    if (value.trim() === '' || value.includes('\u0000') || value.length > MAX_TEXT) throw new InvalidArgumentError(`${what} must be non-empty text of at most ${MAX_TEXT} characters`);
    return value;
  };
}

function pageLimit(value: string): number {
  const n = positive(value);
  if (n > 1000) throw new InvalidArgumentError(`must be at most 1000, got "${value}"`);
  return n;
}

function subcommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the running pnpm start)')
    .option('--json', 'print the report as JSON ({"error":{code,message},"exitCode"} on failure)')
    .addHelpText('after', DNC_EXIT_HELP)
    // Commander exits 1 on bad arguments; 1 means "failed" here, so usage errors are 2.
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : DB_EXIT_CODES.usage));
}

/** The flags import and remove share: the file's shape and how to read phones. */
function withFileFlags(command: Command): Command {
  return command
    .argument('<file>', 'a CSV with a header naming email, phone and/or user_id columns, an NDJSON file (.ndjson: objects with those keys), one value per line with --type, or - for standard input')
    .option('--type <type>', `read only this identifier: ${DO_NOT_CONTACT_TYPES.join(', ')}; without a header naming it, the file is one value per line`, identifierType)
    .option('--region <CC>', 'ISO country for phone numbers without a +country code, e.g. AU (without it such numbers are invalid: no_phone_region)', region)
    .option('--dry-run', 'read, validate and count what would change, then roll every batch back');
}

interface FileFlags extends DatabaseFlags {
  tenant: string;
  list?: string;
  reason?: string;
  type?: DoNotContactType;
  region?: string;
  dryRun?: boolean;
}

interface Header {
  tenantId: string;
  tenant: string;
  list: string | null;
  dryRun: boolean;
}

type ImportReport = Header & ReadReport & { added: number; alreadyListed: number; profilesMarked: number };
type RemoveReport = Header & ReadReport & { removed: number; notListed: number; profilesUnmarked: number };

/** Progress on a terminal, overwritten in place; nothing when output is piped or JSON. */
function progressLine(flags: FileFlags, report: ReadReport) {
  const show = !flags.json && process.stderr.isTTY === true;
  return (totals: object) => {
    if (show) process.stderr.write(`\r${report.read} lines read, ${report.valid} valid, ${Object.entries(totals).map(([k, v]) => `${k} ${String(v)}`).join(', ')}   `);
  };
}
const endProgress = (flags: FileFlags) => {
  if (!flags.json && process.stderr.isTTY === true) process.stderr.write('\n');
};

function readLines(r: Header & ReadReport): Array<[string, string]> {
  const reasons = Object.entries(r.invalidByReason).map(([reason, n]) => `${reason} ${n}`);
  return [
    ['tenant', `${r.tenant} (${r.tenantId})`],
    ['list', r.list ?? 'any'],
    ['read', `${r.read} line(s), ${r.format}: ${r.columns.join(', ')}${r.ignoredColumns.length > 0 ? ` (ignored: ${r.ignoredColumns.join(', ')})` : ''}`],
    ['valid', String(r.valid)],
    ['invalid', r.invalid === 0 ? '0' : `${r.invalid} (${reasons.join(', ')})`],
  ];
}

function invalidLines(r: ReadReport): string {
  const shown = r.invalidLines.map((i) => `  line ${i.line}${i.column === null ? '' : ` ${i.column}`}: ${i.reason}\n`).join('');
  return shown === '' ? '' : `invalid values${r.invalid > r.invalidLines.length ? ` (first ${r.invalidLines.length} of ${r.invalid})` : ''}:\n${shown}`;
}

const dryRunNote = (r: Header) => (r.dryRun ? 'dry run: every batch was rolled back, nothing changed\n' : '');

function importHuman(r: ImportReport): string {
  return (
    lines([...readLines(r), ['added', String(r.added)], ['already listed', String(r.alreadyListed)], ['profiles marked', String(r.profilesMarked)]]) + invalidLines(r) + dryRunNote(r)
  );
}

function removeHuman(r: RemoveReport): string {
  return (
    lines([...readLines(r), ['removed', String(r.removed)], ['not listed', String(r.notListed)], ['profiles unmarked', String(r.profilesUnmarked)]]) + invalidLines(r) + dryRunNote(r)
  );
}

function importCommand(): Command {
  return withFileFlags(subcommand('import', 'list identifiers as do-not-contact and mark every profile holding one (idempotent: listed values are skipped)'))
    .option('--list <name>', 'the list they go on, e.g. legal, complaints', label('--list'), 'default')
    .option('--reason <text>', 'why, kept with each entry', label('--reason'))
    .action((file: string, flags: FileFlags) =>
      runDnc(
        'dnc import',
        flags,
        async (db): Promise<ImportReport> => {
          const { tenantId, name } = await findTenant(db, flags.tenant);
          const report = emptyReport();
          const batches = validBatches(await openInput(file), file, { ...(flags.type ? { type: flags.type } : {}), region: flags.region ?? null }, report);
          const list = flags.list ?? 'default';
          const totals = await writeAll(
            batches,
            { added: 0, alreadyListed: 0, profilesMarked: 0 },
            (batch) => writeBatch(db, tenantId, flags.dryRun === true, (trx) => addDoNotContact(trx, tenantId, batch.map((v) => ({ ...v, list, reason: flags.reason ?? null })))),
            progressLine(flags, report),
            report,
          );
          endProgress(flags);
          return { tenantId, tenant: name, list, dryRun: flags.dryRun === true, ...report, ...totals };
        },
        importHuman,
      ),
    );
}

function removeCommand(): Command {
  return withFileFlags(subcommand('remove', 'take identifiers off the do-not-contact lists and unmark profiles no other listed identifier holds'))
    .option('--list <name>', 'only entries of this list (default: whichever list holds them)', label('--list'))
    .option('--reason <text>', 'why, kept with each removed entry', label('--reason'))
    .action((file: string, flags: FileFlags) =>
      runDnc(
        'dnc remove',
        flags,
        async (db): Promise<RemoveReport> => {
          const { tenantId, name } = await findTenant(db, flags.tenant);
          const report = emptyReport();
          const batches = validBatches(await openInput(file), file, { ...(flags.type ? { type: flags.type } : {}), region: flags.region ?? null }, report);
          const totals = await writeAll(
            batches,
            { removed: 0, notListed: 0, profilesUnmarked: 0 },
            (batch) => writeBatch(db, tenantId, flags.dryRun === true, (trx) => removeDoNotContact(trx, tenantId, batch, { list: flags.list ?? null, reason: flags.reason ?? null })),
            progressLine(flags, report),
            report,
          );
          endProgress(flags);
          return { tenantId, tenant: name, list: flags.list ?? null, dryRun: flags.dryRun === true, ...report, ...totals };
        },
        removeHuman,
      ),
    );
}

function listHuman(l: DoNotContactListing & { tenant: string }): string {
  if (l.total === 0) return `nothing listed for ${l.tenant}; ${l.profilesMarked} profile(s) marked do-not-contact\n`;
  const perList = l.lists.map((c) => `${c.list}  ${c.type}  ${c.entries}\n`).join('');
  const newest = l.newest.map((e) => `${e.addedAt}  ${e.list}  ${e.type}  ${e.value ?? e.valueHash}${e.reason ? `  (${e.reason})` : ''}\n`).join('');
  return `${perList}${l.total} listed; ${l.profilesMarked} profile(s) marked do-not-contact\nnewest ${l.newest.length}:\n${newest}`;
}

function listCommand(): Command {
  return subcommand('list', "a tenant's do-not-contact lists: entries per list and type, the newest entries (email and phone as hashes), profiles marked")
    .option('--list <name>', 'only this list', label('--list'))
    .option('--limit <n>', 'newest entries to show (default 20, at most 1000)', pageLimit)
    .action((flags: DatabaseFlags & { tenant: string; list?: string; limit?: number }) =>
      runDnc(
        'dnc list',
        flags,
        async (db) => {
          const { tenantId, name } = await findTenant(db, flags.tenant);
          const listing = await withTenant(db, tenantId, (trx) => listDoNotContact(trx, tenantId, { list: flags.list ?? null, limit: flags.limit ?? 20 }), { mode: 'snapshot' });
          return { tenantId, tenant: name, ...listing };
        },
        listHuman,
      ),
    );
}

/** Builds the `dnc` command and its subcommands. */
export function dncCommand(): Command {
  return new Command('dnc')
    .description("a tenant's do-not-contact lists: import, remove, list (docs/identity.md)")
    .addCommand(importCommand())
    .addCommand(removeCommand())
    .addCommand(listCommand());
}
