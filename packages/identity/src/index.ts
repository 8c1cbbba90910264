/**
 * @stratum/identity: what identity resolution and the profile API share about the identity graph —
 * identifier keys, connected components, survivorship rules, per-tenant identity settings, and
 * tenant-scoped transactions under row-level security. See docs/identity.md.
 */
export { PERSON_RECORD_NAMESPACE, identifierKey, identifierRecordOf, identifierRecordOfKey, parseIdentifierKey, refOf, type IdentifierRef } from './identifier-key';
export { UnionFind, connectedComponents } from './graph/union-find';
export { mergeProfiles } from './graph/merge-profiles';
export * from './survivorship/rules';
export * from './settings';
export { withTenant, APP_ROLE } from './tenant-scope';
export { newProfileId } from './profile-ids';
export { stableId } from './stable-id';
export { loadIdentitySettings, saveIdentitySettings, identitySettingsErrors } from './settings-store';
export { unmerge, unmergeErrors, type UnmergeRequest, type UnmergeResult, type UnmergeTarget, type UnmergedPart } from './unmerge/unmerge';
export { rebuildTraits, type RebuiltProfile } from './survivorship/rebuild';
export { upsertTraitRows, type TraitRow } from './survivorship/trait-rows';
export { enqueueOutbox, outboxKey, OUTBOX_TOPICS, type OutboxEntry, type OutboxTopic } from './outbox/outbox';
export { profileChangeRecord, readProfileStates, type ChangeContext, type ProfileState } from './outbox/profile-change';
export { consentStateOf, currentConsentsSql, newestIdentifiersSql, SNAPSHOT_IDENTIFIERS } from './outbox/snapshot-sql';
export { addDoNotContact, type DoNotContactAdded } from './do-not-contact/add';
export { removeDoNotContact, type DoNotContactRemoved, type DoNotContactRemoveOptions } from './do-not-contact/remove';
export { markListedProfiles } from './do-not-contact/mark';
export { lockDoNotContactShared } from './do-not-contact/lock';
export { listDoNotContact, type DoNotContactListing } from './do-not-contact/list';
export { DO_NOT_CONTACT_TYPES, doNotContactErrors, type DoNotContactEntry, type DoNotContactRef, type DoNotContactType } from './do-not-contact/entries';
export { approveReview, rejectReview, reviewErrors, REVIEW_EDGE_RULE, type ReviewDecision, type ReviewDecisionRequest } from './review/decide-review';
export { decideReviews, type BulkReviewOptions, type BulkReviewResult, type ReviewSelection } from './review/decide-reviews';
export { readRejectedPairs, type RejectedPairs } from './review/rejected-pairs';
export { readReviews, REVIEW_STATUSES, type ReviewEntry, type ReviewFilter, type ReviewMatch, type ReviewPage, type ReviewPageKey, type ReviewStatus } from './review/list-reviews';
