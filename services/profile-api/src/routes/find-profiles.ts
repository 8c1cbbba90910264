/**
 * GET /v1/profiles?identifier=<type>:<value>: the profile holding an identifier, found by its hash
 * — computed here exactly as ingest computes it (profiles/identifier-param.ts), so a caller sends
 * the cleartext (` Ann@X.com `) and never needs to know the canonical form. At most one profile
 * holds an identifier, so the list has 0 or 1 entries; a list keeps the answer the same shape
 * whether or not anything was found (no 404 to tell apart from a wrong URL).
 */
import { IDENTIFIER_TYPES } from '@stratum/identity';
import type { Knex } from 'knex';
import { ApiError } from '../http/errors';
import { ADMIN_KEY_SECURITY, COMMON_ERRORS, ERROR_RESPONSES, okResponse, REQUEST_ID_PARAMETER } from '../openapi/refs';
import { findProfile } from '../profiles/find-profile';
import { parseIdentifierParam, type IdentifierLookup } from '../profiles/identifier-param';
import { profileView } from '../profiles/profile-view';
import { readAsTenant } from '../profiles/read-as-tenant';
import type { ProfileRoute } from './route';

async function profileIdHolding(trx: Knex.Transaction, tenantId: string, id: IdentifierLookup): Promise<string | null> {
  const row = await trx('identifiers')
    .where({ tenant_id: tenantId, type: id.type, namespace: id.namespace, value_hash: id.valueHash })
    .first<{ profile_id: string } | undefined>('profile_id');
  return row?.profile_id ?? null;
}

export const findProfiles: ProfileRoute = {
  method: 'GET',
  path: '/v1/profiles',
  operation: {
    operationId: 'findProfiles',
    summary: 'Find the profile holding an identifier',
    description: [
      '`identifier` is `<type>:<value>`, or `<type>:<namespace>:<value>` for external_id and device_id (e.g. `external_id:salesforce:0031x00000AbCdE`).',
      'The value is hashed server-side as ingest hashes it: email trimmed and lower-cased, phone to E.164 (international form with `+` required), the others as given.',
      'The query is percent-decoded per RFC 3986: `+` stays a plus (`phone:+14155550100` works as written).',
      'Answers `profiles` with 0 or 1 entries.',
    ].join(' '),
    tags: ['profiles'],
    security: ADMIN_KEY_SECURITY,
    parameters: [
      {
        name: 'identifier',
        in: 'query',
        required: true,
        description: `\`<type>:<value>\`; type one of ${IDENTIFIER_TYPES.join(', ')}; external_id and device_id take \`<type>:<namespace>:<value>\`.`,
        schema: { type: 'string', minLength: 3, maxLength: 1024, examples: ['email:ann@example.com', 'phone:+14155550100', 'user_id:user-8812', 'external_id:salesforce:0031x00000AbCdE'] },
      },
      REQUEST_ID_PARAMETER,
    ],
    responses: { '200': okResponse('The profiles holding the identifier: none or one.', 'ProfileList'), '400': ERROR_RESPONSES[400], ...COMMON_ERRORS },
  },
  async handle({ tenantId, query }, { db }) {
    const lookup = parseIdentifierParam(query.get('identifier'));
    if (lookup instanceof ApiError) return lookup;
    const profile = await readAsTenant(db, tenantId, async (trx) => {
      const profileId = await profileIdHolding(trx, tenantId, lookup);
      // Identifiers follow merges, so the holder is active; findProfile still follows a merge, as a guard.
      const found = profileId === null ? null : await findProfile(trx, tenantId, profileId);
      return found && profileView(trx, tenantId, found.row);
    });
    return { status: 200, body: { profiles: profile === null ? [] : [profile] } };
  },
};
