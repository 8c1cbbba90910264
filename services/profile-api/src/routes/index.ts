/**
 * Every endpoint of the profile API, in the order the OpenAPI document lists them. Add one: a
 * file exporting a ProfileRoute (route.ts) and a line here — the app registers it, the document
 * describes it, and the query parameters it declares are the only ones it accepts.
 */
import { createDestinationRoute } from './create-destination';
import { approveReviewRoute, rejectReviewRoute } from './decide-review';
import { approveReviewsRoute, rejectReviewsRoute } from './decide-reviews';
import { findProfiles } from './find-profiles';
import { getDestinationRoute } from './get-destination';
import { getProfile } from './get-profile';
import { listDestinationsRoute } from './list-destinations';
import { listEvents } from './list-events';
import { listMerges } from './list-merges';
import { listReviews } from './list-reviews';
import { putConsents } from './put-consents';
import { disableDestinationRoute, enableDestinationRoute } from './set-destination-state';
import { unmergeProfile } from './unmerge';
import { updateDestinationRoute } from './update-destination';
import type { ProfileRoute } from './route';

export const PROFILE_ROUTES: readonly ProfileRoute[] = [
  findProfiles,
  getProfile,
  listEvents,
  listMerges,
  putConsents,
  unmergeProfile,
  listReviews,
  approveReviewRoute,
  rejectReviewRoute,
  approveReviewsRoute,
  rejectReviewsRoute,
  listDestinationsRoute,
  createDestinationRoute,
  getDestinationRoute,
  updateDestinationRoute,
  disableDestinationRoute,
  enableDestinationRoute,
];

export type { ProfileRoute, RouteContext, RouteDependencies, Answer } from './route';
