/**
 * JSON over HTTP for the demo, where every failure becomes a sentence a person can act on: a
 * service that does not answer names itself, its URL and the command that starts it.
 */

/** A problem the demo explains and stops on (exit 2: nothing to demonstrate against). */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

export const START_COMMAND = 'pnpm start --mock-destinations';

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What to say when a service of the platform does not answer; `flag` is the demo's flag for its URL. */
export const notRunning = (flag: string) => `Is the platform running? Start it with \`${START_COMMAND}\` (another terminal), or pass ${flag} if it listens elsewhere.`;

/** `what` names the service for messages ("the gateway"); `hint` says what to do when it does not answer. */
export async function requestJson(what: string, url: string, init: RequestInit, hint: string): Promise<JsonAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new DemoError(`${what} is not answering at ${new URL(url).origin} (${cause}). ${hint}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    // Not JSON: keep the text, the caller reports it.
  }
  return { status: res.status, body };
}

/** The body of a 2xx answer; anything else is a DemoError quoting the answer. */
export async function okJson(what: string, url: string, init: RequestInit, hint: string): Promise<unknown> {
  const answer = await requestJson(what, url, init, hint);
  if (answer.status < 200 || answer.status > 299) throw new DemoError(`${what} answered ${answer.status} to ${init.method ?? 'GET'} ${new URL(url).pathname}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
