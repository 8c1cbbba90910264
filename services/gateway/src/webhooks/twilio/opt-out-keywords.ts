/**
 * Whether an incoming SMS opts its sender out of, or back into, the tenant's messages. Twilio's
 * default opt-out handling already stops its own sends to a number that texted STOP (answering
 * 21610); recording the opt-out here lets delivery skip the number before sending at all, and
 * keeps it when the tenant changes numbers or Messaging Services.
 *
 * Twilio's standard keywords (support.twilio.com, "Twilio support for opt-out keywords"): the
 * whole message, trimmed, any case. With Advanced Opt-Out, Twilio matches the tenant's own
 * keywords and says what it decided in `OptOutType` (STOP, START, HELP): that wins when present.
 */

export type OptOutIntent = 'opt_out' | 'opt_in';

const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES']);

function intentOf(word: string): OptOutIntent | null {
  const keyword = word.trim().toUpperCase();
  if (OPT_OUT_KEYWORDS.has(keyword)) return 'opt_out';
  if (OPT_IN_KEYWORDS.has(keyword)) return 'opt_in';
  return null;
}

/** What an incoming message asks for: opt out, opt back in, or nothing (null). */
export function optOutIntent(body: string, optOutType: string | null): OptOutIntent | null {
  // STOP and START read as the keywords do; HELP is Twilio saying "neither", trusted over the body.
  return optOutType !== null && optOutType.trim() !== '' ? intentOf(optOutType) : intentOf(body);
}
