// Packages that compile these sources (workspace packages import src/) see talisman's declarations through this.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient module declarations: there is nothing to import
/// <reference path="./talisman.d.ts" />
/**
 * @stratum/matching: golden-record matching of person records. Hygiene cleans each field
 * (E.164 phones, parsed names, normalised addresses, validated dates) and says what was wrong;
 * matching blocks, scores pairs with a Fellegi–Sunter model into confidence tiers (exact, strong,
 * fuzzy) with the evidence an audit needs, and clusters auto-merge links into entities.
 */
export { PROBLEM_CODES, countProblems, type Cleaned, type Problem, type ProblemCode } from './hygiene/problems';
export { foldForComparison } from './hygiene/fold';
export { cleanPhone } from './hygiene/phone';
export { cleanEmail } from './hygiene/email';
export { parsePersonName, cleanNameParts, displayCase, type PersonName } from './hygiene/name';
export { normaliseAddressLine, parseStreetAddress, normalisePostcode, type StreetAddress } from './hygiene/address';
export { parseDate, dateFromParts, daysInMonth, compareDates, isoDate, type CalendarDate, type DateOrder, type DateOptions } from './hygiene/date';
export { cleanPerson, type CleanPerson, type PersonInput, type SourceSettings } from './hygiene/person';

export { toMatchRecord, type MatchRecord } from './match/record';
export { FIELDS, FIELD_NAMES, type FieldName, type FieldSpec } from './match/fields';
export { MISSING } from './match/comparators';
export { levelWeights, type FieldProbabilities, type MatchModel, type MatchThresholds } from './match/model-types';
export { PERSON_MATCH_MODEL } from './match/model';
export { scorerOf, compareRecords, mayReach, classify, decide, type Comparison, type FieldEvidence, type MatchAction, type MatchDecision, type Scorer, type ScorerOptions } from './match/score';
export { TERM_FREQUENCY_FIELDS, ValueCounts, combinedFrequencies, valueFrequencies, type FrequencySource } from './match/frequencies';
export { candidatePairs, DEFAULT_BLOCKING_PASSES, type BlockingOptions, type BlockingPass, type CandidatePairs, type PassReport } from './match/blocking';
export { clusterLinks, entitiesOf, type ClusterOptions, type ScoredLink } from './match/cluster';
export { linkRecords, type LinkOptions, type LinkResult } from './match/link';
export { estimateU, estimateM, type EmResult } from './match/estimate';
export { pairwiseQuality, blockingRecall, type PairwiseQuality } from './match/quality';
