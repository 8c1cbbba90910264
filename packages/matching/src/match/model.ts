/**
 * The checked-in person-match model: the same m, u and thresholds for every data set and tenant.
 *
 * How the numbers were obtained (README.md, "The model"): `pnpm --filter @stratum/matching run
 * estimate-model febrl2`, once — u from 1,000,000 random pairs of FEBRL dataset 2, m by EM over
 * its 3,577 blocked candidate pairs with u fixed and 10 pseudo-pairs per level; the ground-truth
 * labels are never read. Email and phone do not occur in FEBRL, so theirs are set by hand: an
 * exact email or E.164 phone is shared by different people about once in a million pairs (family
 * landlines, shared inboxes), and a person keeps the same one in about 90% of their records.
 */
import type { MatchModel } from './model-types';

/** Person matching: the fields of fields.ts, their m and u per level, and the decision thresholds. */
export const PERSON_MATCH_MODEL: MatchModel = {
  fields: {
    given_name: { m: [0.711, 0.131, 0.0367, 0.122], u: [0.00423, 0.00121, 0.00754, 0.987] }, // exact / close / similar / disagree
    family_name: { m: [0.638, 0.223, 0.0458, 0.0925], u: [0.00427, 0.000758, 0.00419, 0.991] }, // exact / close / similar / disagree
    birth_date: { m: [0.904, 0.0178, 0.00705, 0.071], u: [0.000176, 0.00102, 0.00281, 0.996] }, // exact / one_slip / two_parts / disagree
    national_id: { m: [0.861, 0.0766, 0.0627], u: [0.000149, 0.000019, 1] }, // exact / one_edit / disagree
    email: { m: [0.9, 0.1], u: [0.000001, 0.999999] }, // exact / disagree (set by hand)
    phone: { m: [0.9, 0.1], u: [0.000001, 0.999999] }, // exact / disagree (set by hand)
    street_number: { m: [0.833, 0.167], u: [0.0133, 0.987] }, // exact / disagree
    street: { m: [0.673, 0.234, 0.00968, 0.0836], u: [0.000565, 0.000202, 0.0104, 0.989] }, // exact / close / similar / disagree
    address_line_2: { m: [0.616, 0.272, 0.0229, 0.0886], u: [0.000726, 0.000366, 0.00204, 0.997] }, // exact / close / similar / disagree
    locality: { m: [0.684, 0.219, 0.0164, 0.0807], u: [0.00128, 0.000296, 0.00233, 0.996] }, // exact / close / similar / disagree
    postcode: { m: [0.753, 0.202, 0.0457], u: [0.00109, 0.0132, 0.986] }, // exact / one_edit / disagree
    region: { m: [0.948, 0.052], u: [0.227, 0.773] }, // exact / disagree
  },
  thresholds: { autoMerge: 14, review: 6, cannotLink: -10 },
  provenance: 'estimate-model febrl2: u from 1e6 random pairs (seed 20261124), m by EM (u fixed, 10 pseudo-pairs per level); email and phone by hand',
};
