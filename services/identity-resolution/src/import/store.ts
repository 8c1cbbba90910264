/**
 * The SQL of the person-import stage (migration 202611241700_person_matching), inside the chunk's
 * tenant-scoped transaction; every statement covers the whole chunk (by COPY through a stage). Candidates
 * come from the in-memory record index (record-index.ts), match provenance goes in with the
 * graph's own audit and review inserts (resolve/store.ts).
 */
import type { Knex } from 'knex';
import { TENANT_ID, writeThroughStage, type CopyColumn } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import { parseIdentifierKey } from '@stratum/identity';
import type { MatchDecision } from '@stratum/matching';
import type { MatchEvidence } from '../resolve/plan';
import type { ImportedPerson } from './person-record';

export const importStoreErrors = defineErrorCodes({
  person_record_race: { retriable: true, description: 'another transaction stored a row of this chunk meanwhile; the chunk is resolved again and skips it' },
});

/** person_records' columns as the stage takes them (the match fields, hashed email and phone). */
const RECORD_STAGE: CopyColumn[] = [
  ['id', 'text'],
  ['import_id', 'text'],
  ['row_number', 'bigint'],
  ['source_id', 'text'],
  ['source_record_id', 'text'],
  ['profile_id', 'text'],
  ['outcome', 'text'],
  ...(['given', 'middle', 'family', 'given_phonetic', 'family_phonetic', 'birth_digits', 'national_id', 'email_hash', 'phone_hash'] as const).map((c): CopyColumn => [c, 'text']),
  ...(['street_number', 'street', 'address_line2', 'locality', 'postcode', 'region'] as const).map((c): CopyColumn => [c, 'text']),
];

/**
 * The chunk's records, returning the highest `seq` they got (the record index reads on from it).
 * A row another transaction stored meanwhile fails the chunk (redone, skipping it).
 */
export async function insertPersonRecords(
  trx: Knex.Transaction,
  tenantId: string,
  people: ReadonlyArray<{ person: ImportedPerson; profileId: string; outcome: 'exact' | 'strong' | 'fuzzy' | 'new' }>,
): Promise<number> {
  if (people.length === 0) return 0;
  const { rows } = await writeThroughStage<{ n: string; max_seq: string | null }>(
    trx,
    'stage_person_records',
    RECORD_STAGE,
    people.map(({ person: p, profileId, outcome }) => {
      const m = p.match;
      return [p.recordId, p.row.importId, p.row.rowNumber, p.row.sourceId, p.row.recordId, profileId, outcome, m.given, m.middle, m.family, m.givenPhonetic, m.familyPhonetic, m.birthDigits, m.nationalId,
        m.email, m.phone, m.streetNumber, m.street, m.addressLine2, m.locality, m.postcode, m.region];
    }),
    `WITH ins AS (
       INSERT INTO person_records (tenant_id, ${RECORD_STAGE.map(([c]) => c).join(', ')})
       SELECT ?, ${RECORD_STAGE.map(([c]) => `r.${c}`).join(', ')} FROM staged AS r
       ON CONFLICT DO NOTHING RETURNING seq)
     SELECT count(*) AS n, max(seq) AS max_seq FROM ins`,
    [tenantId],
  );
  const inserted = Number(rows[0]!.n);
  if (inserted !== people.length) throw importStoreErrors.error('person_record_race', `${people.length - inserted} of ${people.length} rows were stored concurrently`);
  return Number(rows[0]!.max_seq);
}

/** The profile each stored identifier key belongs to (keys not found are left out); a plain read, no lock. */
export async function profilesOfKeys(trx: Knex.Transaction, tenantId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const refs = keys.map(parseIdentifierKey);
  const { rows } = await trx.raw<{ rows: Array<{ n: number; profile_id: string }> }>(
    `SELECT k.n, i.profile_id FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS k(type, namespace, value_hash, n)
     -- LIMIT 1 keeps it one index probe per key (see lockState).
     CROSS JOIN LATERAL (SELECT profile_id FROM identifiers i WHERE i.tenant_id = ${TENANT_ID} AND i.type = k.type AND i.namespace = k.namespace AND i.value_hash = k.value_hash LIMIT 1) i`,
    [refs.map((r) => r.type), refs.map((r) => r.namespace), refs.map((r) => r.valueHash), tenantId],
  );
  return new Map(rows.map((r) => [keys[Number(r.n) - 1]!, r.profile_id]));
}

/** What an audit row or a review entry records of a match (the columns match_score, match_tier, match_fields). */
export interface MatchProvenance extends MatchEvidence {
  readonly score: number | null;
  readonly tier: 'exact' | 'strong' | 'fuzzy';
  /** agreed, disagreed and the evidence per field (level and weight). */
  readonly fields: { agreed: readonly string[]; disagreed: readonly string[]; evidence: MatchDecision['evidence']; namesSwapped: boolean } | { agreed: readonly string[] };
}

export function provenanceOf(decision: MatchDecision): MatchProvenance {
  return {
    score: Math.round(decision.score * 1000) / 1000,
    tier: decision.tier ?? 'fuzzy',
    fields: { agreed: decision.agreed, disagreed: decision.disagreed, evidence: decision.evidence, namesSwapped: decision.namesSwapped },
  };
}
