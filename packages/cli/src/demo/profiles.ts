/**
 * The profiles the demo's traffic should have formed: one per shopper, holding the anonymous id
 * it browsed with and the user id, email and phone it signed up with (identity resolution linked
 * them), with the consent the demo last set. Pure checks over the profile API's answers.
 */
import { DEMO_CONSENT_PURPOSE, type DemoStep, type DemoUser } from './plan';
import type { ProfileView } from './profile-api-client';

export interface ProfileRow {
  readonly user: DemoUser;
  readonly profile: ProfileView | null;
  readonly events: number;
  readonly problems: readonly string[];
}

export const EXPECTED_IDENTIFIERS = ['anonymous_id', 'user_id', 'email', 'phone'] as const;

/** The consent status `steps` leave each user with for DEMO_CONSENT_PURPOSE (absent: never set). */
export function finalConsents(steps: readonly DemoStep[]): Map<string, 'granted' | 'withdrawn'> {
  const state = new Map<string, 'granted' | 'withdrawn'>();
  for (const step of steps) if (step.kind === 'consent') for (const c of step.changes) state.set(c.user, c.status);
  return state;
}

export function consentOf(profile: ProfileView | null, purpose = DEMO_CONSENT_PURPOSE): string | null {
  return profile?.consents.find((c) => c.purpose === purpose)?.status ?? null;
}

export function profileProblems(user: DemoUser, profile: ProfileView | null, expectedConsent: string | null): string[] {
  if (profile === null) return [`no profile holds user_id:${user.userId}`];
  const types = new Set(profile.identifiers.map((i) => i.type));
  const lacking = EXPECTED_IDENTIFIERS.filter((t) => !types.has(t));
  const consent = consentOf(profile);
  return [
    ...(lacking.length === 0 ? [] : [`profile ${profile.id} lacks ${lacking.join(', ')} (the anonymous and signed-up identities were not linked)`]),
    ...(consent === expectedConsent ? [] : [`profile ${profile.id} has ${DEMO_CONSENT_PURPOSE} consent ${consent ?? 'unset'}, expected ${expectedConsent ?? 'unset'}`]),
  ];
}
