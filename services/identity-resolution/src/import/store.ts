/**
 * The SQL of the person-import stage (migration 202611241700_person_matching), inside the chunk's
 * tenant-scoped transaction; every statement covers the whole chunk (json_to_recordset).
 */
import type { Knex } from 'knex';
import { defineErrorCodes } from '@stratum/errors';
import type { MatchDecision, MatchRecord } from '@stratum/matching';
import type { MatchCandidate } from './match-chunk';
import { PERSON_RECORD_NAMESPACE, personRecordKey, type ImportedPerson } from './person-record';

export const importStoreErrors = defineErrorCodes({
  person_record_race: { retriable: true, description: 'another transaction stored a row of this chunk meanwhile; the chunk is resolved again and skips it' },
});

const json = (rows: unknown) => JSON.stringify(rows);

/** The chunk's rows already resolved (by an earlier delivery): skipped. */
export async function storedRecordIds(trx: Knex.Transaction, tenantId: string, recordIds: readonly string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>('SELECT id FROM person_records WHERE tenant_id = ? AND id = ANY(?)', [tenantId, [...recordIds]]);
  return new Set(rows.map((r) => r.id));
}

export interface StoredCandidate extends MatchCandidate {
  /** Its profile now (its record identifier's), before this chunk's merges. */
  readonly profileId: string;
}

type RecordRow = {
  id: string;
  given: string | null;
  middle: string | null;
  family: string | null;
  given_phonetic: string | null;
  family_phonetic: string | null;
  birth_digits: string | null;
  national_id: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  street_number: string | null;
  street: string | null;
  address_line2: string | null;
  locality: string | null;
  postcode: string | null;
  region: string | null;
};

const matchOf = (r: RecordRow): MatchRecord => ({
  id: r.id,
  given: r.given,
  middle: r.middle,
  family: r.family,
  givenPhonetic: r.given_phonetic,
  familyPhonetic: r.family_phonetic,
  birthDigits: r.birth_digits,
  nationalId: r.national_id,
  email: r.email_hash,
  phone: r.phone_hash,
  streetNumber: r.street_number,
  street: r.street,
  addressLine2: r.address_line2,
  locality: r.locality,
  postcode: r.postcode,
  region: r.region,
});

/**
 * The stored records sharing a blocking key with the chunk, in one statement: the keys' hits,
 * blocks larger than `maxBlockSize` left out, each record once with its current profile.
 */
export async function fetchCandidates(trx: Knex.Transaction, tenantId: string, keys: ReadonlyArray<{ pass: string; key: string }>, maxBlockSize: number): Promise<StoredCandidate[]> {
  if (keys.length === 0) return [];
  const { rows } = await trx.raw<{ rows: Array<RecordRow & { profile_id: string }> }>(
    `WITH q AS (SELECT DISTINCT pass, key FROM json_to_recordset(?::json) AS q(pass text, key text)),
     hits AS MATERIALIZED (
       SELECT k.pass, k.key, k.record_id FROM person_blocking_keys k JOIN q ON k.pass = q.pass AND k.key = q.key WHERE k.tenant_id = ?),
     small AS (SELECT pass, key FROM hits GROUP BY pass, key HAVING count(*) <= ?),
     ids AS (SELECT DISTINCT h.record_id FROM hits h JOIN small s ON s.pass = h.pass AND s.key = h.key)
     SELECT r.id, r.given, r.middle, r.family, r.given_phonetic, r.family_phonetic, r.birth_digits, r.national_id, r.email_hash, r.phone_hash,
            r.street_number, r.street, r.address_line2, r.locality, r.postcode, r.region, i.profile_id
     FROM ids JOIN person_records r ON r.tenant_id = ? AND r.id = ids.record_id
     JOIN identifiers i ON i.tenant_id = r.tenant_id AND i.type = 'external_id' AND i.namespace = ? AND i.value_hash = r.id
     ORDER BY r.id`,
    [json(keys), tenantId, maxBlockSize, tenantId, PERSON_RECORD_NAMESPACE],
  );
  return rows.map((r) => ({ match: matchOf(r), recordKey: personRecordKey(r.id), profileId: r.profile_id }));
}

/** The chunk's records and their blocking keys. A row another transaction stored meanwhile fails the chunk (redone, skipping it). */
export async function insertPersonRecords(
  trx: Knex.Transaction,
  tenantId: string,
  people: ReadonlyArray<{ person: ImportedPerson; profileId: string; keys: ReadonlyArray<{ pass: string; key: string }> }>,
): Promise<void> {
  if (people.length === 0) return;
  const records = people.map(({ person: p, profileId }) => ({
    id: p.recordId,
    import_id: p.row.importId,
    row_number: p.row.rowNumber,
    source_id: p.row.sourceId,
    source_record_id: p.row.recordId,
    profile_id: profileId,
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
  const { rowCount } = await trx.raw<{ rowCount: number }>(
    `INSERT INTO person_records (tenant_id, ${cols.join(', ')})
     SELECT ?, ${cols.map((c) => `r.${c}`).join(', ')} FROM json_to_recordset(?::json) AS r(${cols.map((c) => `${c} ${types[c] ?? 'text'}`).join(', ')})
     ON CONFLICT DO NOTHING`,
    [tenantId, json(records)],
  );
  if (rowCount !== records.length) throw importStoreErrors.error('person_record_race', `${records.length - rowCount} of ${records.length} rows were stored concurrently`);
  const keys = people.flatMap(({ person, keys: ks }) => ks.map((k) => ({ pass: k.pass, key: k.key, record_id: person.recordId })));
  if (keys.length > 0) {
    await trx.raw(
      `INSERT INTO person_blocking_keys (tenant_id, pass, key, record_id)
       SELECT ?, k.pass, k.key, k.record_id FROM json_to_recordset(?::json) AS k(pass text, key text, record_id text) ON CONFLICT DO NOTHING`,
      [tenantId, json(keys)],
    );
  }
}

/** What an audit row or a review entry records of a match. */
export interface MatchProvenance {
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

/** Score, tier and fields on the chunk's audit rows and review entries (inserted by the graph's write). */
export async function annotateMatches(
  trx: Knex.Transaction,
  tenantId: string,
  audits: ReadonlyArray<{ id: string; provenance: MatchProvenance }>,
  reviews: ReadonlyArray<{ id: string; provenance: MatchProvenance }>,
): Promise<void> {
  const rows = (xs: ReadonlyArray<{ id: string; provenance: MatchProvenance }>) => json(xs.map((x) => ({ id: x.id, score: x.provenance.score, tier: x.provenance.tier, fields: x.provenance.fields })));
  const m = 'json_to_recordset(?::json) AS m(id text, score double precision, tier text, fields jsonb)';
  if (audits.length > 0) {
    await trx.raw(`UPDATE identity_audit t SET match_score = m.score, match_tier = m.tier, match_fields = m.fields FROM ${m} WHERE t.tenant_id = ? AND t.id = m.id`, [rows(audits), tenantId]);
  }
  if (reviews.length > 0) {
    await trx.raw(`UPDATE identity_reviews t SET match_score = m.score, match_tier = m.tier, match_fields = m.fields FROM ${m} WHERE t.tenant_id = ? AND t.id = m.id`, [rows(reviews), tenantId]);
  }
}
