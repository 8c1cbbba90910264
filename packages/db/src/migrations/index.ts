/**
 * The one ordered migration history of the project (knex). Each service owns its tables, but
 * they share one history so `stratum db migrate` brings any database to the code's version in
 * one step. Add a migration: a new file named `YYYYMMDDHHMM_what.ts`, appended to MIGRATIONS.
 */
import type { Migration } from './migration';
import { tenancy } from './202611240900_tenancy';
import { dedupWindow } from './202611241000_dedup_window';
import { dedupClaims } from './202611241100_dedup_claims';
import { identity } from './202611241200_identity';
import { identityOutbox } from './202611241230_identity_outbox';
import { destinations } from './202611241300_destinations';
import { delivery } from './202611241400_delivery';
import { doNotContact } from './202611241500_do_not_contact';
import { importRuns } from './202611241600_import_runs';
import { personMatching } from './202611241700_person_matching';
import { personRecordIndex } from './202611241800_person_record_index';
import { reviewQueue } from './202611241900_review_queue';
import { rejectedReviews } from './202611242100_rejected_reviews';
import { outboxJson } from './202611250100_outbox_json';

export const MIGRATIONS: readonly Migration[] = [tenancy, dedupWindow, dedupClaims, identity, identityOutbox, destinations, delivery, doNotContact, importRuns, personMatching, personRecordIndex, reviewQueue, rejectedReviews, outboxJson];
export type { Migration } from './migration';
