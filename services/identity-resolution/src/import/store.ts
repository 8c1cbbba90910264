/**
 * The SQL of the person-import stage (migration 202611241700_person_matching), inside the chunk's
 * tenant-scoped transaction; every statement covers the whole chunk (json_to_recordset). Candidates
 * come from the in-memory record index (record-index.ts), match provenance goes in with the
 * graph's own audit and review inserts (resolve/store.ts).
 */
import type { Knex } from 'knex';
import { defineErrorCodes } from '@stratum/errors';
import type { MatchDecision } from '@stratum/matching';
import type { MatchEvidence } from '../resolve/plan';
import type { ImportedPerson } from './person-record';

export const importStoreErrors = defineErrorCodes({
  person_record_race: { retriable: true, description: 'another transaction stored a row of this chunk meanwhile; the chunk is resolved again and skips it' },
});

const json = (rows: unknown) => JSON.stringify(rows);

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
  const records = people.map(({ person: p, profileId, outcome }) => ({
    id: p.recordId,
    import_id: p.row.importId,
    row_number: p.row.rowNumber,
    source_id: p.row.sourceId,
    source_record_id: p.row.recordId,
    profile_id: profileId,
    outcome,
    given: p.match.given,
    middle: p.match.middle,
    family: p.match.family,
    given_phonetic: p.match.givenPhonetic,
    family_phonetic: p.match.familyPhonetic,
    birth_digits: p.match.birthDigits,
    national_id: p.match.nationalId,
    email_hash: p.match.email,
    phone_hash: p.match.phone,
    street_number: p.match.streetNumber,
    street: p.match.street,
    address_line2: p.match.addressLine2,
    locality: p.match.locality,
    postcode: p.match.postcode,
    region: p.match.region,
  }));
  const cols = Object.keys(records[0]!);
  const types: Record<string, string> = { row_number: 'bigint' };
  const { rows } = await trx.raw<{ rows: Array<{ n: string; max_seq: string | null }> }>(
    `WITH ins AS (
       INSERT INTO person_records (tenant_id, ${cols.join(', ')})
       SELECT ?, ${cols.map((c) => `r.${c}`).join(', ')} FROM json_to_recordset(?::json) AS r(${cols.map((c) => `${c} ${types[c] ?? 'text'}`).join(', ')})
       ON CONFLICT DO NOTHING RETURNING seq)
     SELECT count(*) AS n, max(seq) AS max_seq FROM ins`,
    [tenantId, json(records)],
  );
  const inserted = Number(rows[0]!.n);
  if (inserted !== records.length) throw importStoreErrors.error('person_record_race', `${records.length - inserted} of ${records.length} rows were stored concurrently`);
  return Number(rows[0]!.max_seq);
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
