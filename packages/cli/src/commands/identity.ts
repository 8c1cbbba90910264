/**
 * `stratum identity settings`: show or replace a tenant's identity rules (merge protection, survivorship; docs/identity.md).
 * `stratum identity reviews`, `stratum identity review approve|reject <id>`: work the review queue
 * (the pairs identity resolution left to a person), as the profile API's /v1/reviews does;
 * `stratum identity review approve-all|reject-all`: decide every open entry a selection names.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  approveReview,
  decideReviews,
  loadIdentitySettings,
  readReviews,
  rejectReview,
  REVIEW_STATUSES,
  saveIdentitySettings,
  withTenant,
  type BulkReviewResult,
  type ReviewDecision,
  type ReviewEntry,
  type ReviewStatus,
} from '@stratum/identity';
import { findTenant } from '@stratum/tenancy';
import { positive } from '../flags';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';

function jsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${path} as JSON: ${(err as Error).message}`);
  }
}

function reviewStatus(text: string): ReviewStatus {
  if (!(REVIEW_STATUSES as readonly string[]).includes(text)) throw new InvalidArgumentError(`must be one of ${REVIEW_STATUSES.join(', ')}`);
  return text as ReviewStatus;
}

function pageLimit(text: string): number {
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
}

function score(text: string): number {
  const n = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`must be a number, e.g. 12 or 9.5, got "${text}"`);
  return n;
}

/** One line per entry: id, reason, score and tier, the profiles it is about now, when. */
function reviewTable(reviews: readonly ReviewEntry[]): string {
  if (reviews.length === 0) return 'no review entries\n';
  const rows = reviews.map((r) => [
    r.id,
    r.reason,
    r.match === null || r.match.score === null ? '-' : `${r.match.score.toFixed(1)} ${r.match.tier ?? ''}`.trim(),
    r.currentProfileIds.length === 1 ? `${r.currentProfileIds[0]} (one profile already)` : r.currentProfileIds.join(' + '),
    r.createdAt,
  ]);
  const header = ['id', 'reason', 'score', 'profiles now', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => `${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`).join('');
}

function decisionLines(d: ReviewDecision): string {
  return lines([
    ['review', d.reviewId],
    ['status', d.status],
    ...(d.status === 'approved' ? ([['profile', d.profileId ?? '-'], ['merged', d.mergedProfileIds.length === 0 ? 'nothing (one profile already)' : d.mergedProfileIds.join(', ')]] as const) : []),
    ['audit', d.auditId],
  ]);
}

function decisionCommand(action: 'approve' | 'reject', decide: typeof approveReview, description: string): Command {
  return databaseCommand(action, description)
    .argument('<review-id>', 'the entry, as `stratum identity reviews` lists it')
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--reason <text>', 'why (kept in the audit)')
    .action((reviewId: string, flags: DatabaseFlags & { tenant: string; reason?: string }) =>
      runWithDatabase(
        `identity review ${action}`,
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const operator = process.env.USER ?? 'unknown';
          return decide(db, tenantId, { reviewId, actor: `stratum cli (${operator})`, reason: flags.reason ?? null });
        },
        decisionLines,
      ),
    );
}

function bulkLines(r: BulkReviewResult): string {
  const verb = r.action === 'approve' ? 'approved' : 'rejected';
  if (r.dryRun) return `would ${r.action} ${r.selected} open entr${r.selected === 1 ? 'y' : 'ies'} (dry run: nothing decided)${r.reviewIds.length > 0 ? `, oldest first: ${r.reviewIds.slice(0, 5).join(', ')}${r.selected > 5 ? ', …' : ''}` : ''}\n`;
  return lines([
    ['selected', String(r.selected)],
    [verb, String(r.decided)],
    ...(r.action === 'approve' ? ([['profiles merged', String(r.profilesMerged)]] as const) : []),
    ['decided meanwhile', String(r.decidedMeanwhile)],
  ]);
}

interface BulkFlags extends DatabaseFlags {
  tenant: string;
  settled?: boolean;
  reason?: string;
  minScore?: number;
  maxScore?: number;
  limit?: number;
  note?: string;
  dryRun?: boolean;
}

function bulkDecisionCommand(action: 'approve' | 'reject', description: string): Command {
  return databaseCommand(`${action}-all`, description)
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--reason <reason>', 'only entries of this reason, e.g. fuzzy_match (as `identity reviews --reason`)')
    .option('--min-score <score>', 'only entries whose match score is at least this', score)
    .option('--max-score <score>', 'only entries whose match score is below this', score)
    .option('--settled', 'only entries whose profiles are one already (a later row merged them): approving them closes them, merging nothing')
    .option('--limit <n>', 'at most this many, the oldest first', positive)
    .option('--note <text>', 'why (kept in the audit of each entry)')
    .option('--dry-run', 'count and name the entries; decide nothing')
    .action((flags: BulkFlags) =>
      runWithDatabase(
        `identity review ${action}-all`,
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const operator = process.env.USER ?? 'unknown';
          const progress = process.stderr.isTTY && !flags.json;
          const result = await decideReviews(
            db,
            tenantId,
            action,
            { reason: flags.reason ?? null, minScore: flags.minScore ?? null, maxScore: flags.maxScore ?? null, settled: flags.settled === true ? true : null, limit: flags.limit ?? null },
            { actor: `stratum cli (${operator})`, reason: flags.note ?? null },
            { dryRun: flags.dryRun === true, ...(progress ? { onProgress: (done: number, of: number) => process.stderr.write(`\r${action === 'approve' ? 'approving' : 'rejecting'} ${done} / ${of}`) } : {}) },
          );
          if (progress && result.selected > 0 && !result.dryRun) process.stderr.write('\n');
          return result;
        },
        bulkLines,
      ),
    );
}

export function identityCommand(): Command {
  const settings = databaseCommand('settings', "show a tenant's effective identity settings; with --set, replace its settings document first")
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--set <file.json>', 'the new settings document (any part of it; the defaults fill the rest)', jsonFile)
    .action((flags: DatabaseFlags & { tenant: string; set?: unknown }) =>
      runWithDatabase(
        'identity settings',
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          return withTenant(db, tenantId, (trx) => (flags.set === undefined ? loadIdentitySettings(trx, tenantId) : saveIdentitySettings(trx, tenantId, flags.set)));
        },
        (s) => `${JSON.stringify(s, null, 2)}\n`,
      ),
    );
  const reviews = databaseCommand('reviews', 'list the review queue: pairs identity resolution left to a person (fuzzy matches, held-back links, stopped merges), newest first')
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--status <status>', `entries of this status: ${REVIEW_STATUSES.join(', ')}`, reviewStatus, 'open')
    .option('--reason <reason>', 'only entries of this reason, e.g. fuzzy_match')
    .option('--min-score <score>', 'only entries whose match score is at least this', score)
    .option('--max-score <score>', 'only entries whose match score is below this', score)
    .option('--settled', 'only entries whose profiles are one already (shown as "one profile already")')
    .option('--limit <n>', 'at most this many (1–1000)', pageLimit, 50)
    .action((flags: DatabaseFlags & { tenant: string; status: ReviewStatus; reason?: string; minScore?: number; maxScore?: number; settled?: boolean; limit: number }) =>
      runWithDatabase(
        'identity reviews',
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const page = await withTenant(db, tenantId, (trx) => readReviews(trx, tenantId, { status: flags.status, reason: flags.reason ?? null, minScore: flags.minScore ?? null, maxScore: flags.maxScore ?? null, settled: flags.settled === true ? true : null }, flags.limit, null));
          return { reviews: page.reviews, more: page.next !== null };
        },
        (r) => `${reviewTable(r.reviews)}${r.more ? `(more: raise --limit, or page with GET /v1/reviews)\n` : ''}`,
      ),
    );
  const review = new Command('review')
    .description('decide an entry of the review queue')
    .addCommand(decisionCommand('approve', approveReview, "the entry's profiles are one person: merge them (the oldest survives; an unmerge can split them again)"))
    .addCommand(decisionCommand('reject', rejectReview, "the entry's profiles are different people: close it"))
    .addCommand(bulkDecisionCommand('approve', 'approve every open entry the selection names, oldest first, each as `review approve` does (a stopped run resumes: the same command decides the rest)'))
    .addCommand(bulkDecisionCommand('reject', 'reject every open entry the selection names, oldest first, each as `review reject` does'));
  return new Command('identity').description('identity resolution: per-tenant settings, the review queue').addCommand(settings).addCommand(reviews).addCommand(review);
}
