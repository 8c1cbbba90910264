/**
 * Reading a JSON request body by hand (no body-parser): a hard byte cap known before reading (a
 * declared Content-Length over it is refused unread), JSON only, no compression — the bodies here
 * are small consent lists, and every refusal says exactly what was wrong.
 */
import type { IncomingMessage } from 'node:http';
import { apiError, type ApiError } from './errors';

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

export interface ReadJsonOptions {
  /**
   * The body may hold secrets (destination credentials): a parse error then gives only the
   * position, because V8's message quotes the text around the error.
   */
  readonly mayHoldSecrets?: boolean;
}

/** Why the text is not JSON, without quoting it when it may hold secrets. */
function parseProblem(err: unknown, mayHoldSecrets: boolean): string {
  const message = err instanceof Error ? err.message : 'parse error';
  if (!mayHoldSecrets) return message.slice(0, 200);
  const position = /at position (\d+)/.exec(message)?.[1];
  return `${position === undefined ? 'a syntax error' : `a syntax error at position ${position}`}; the parser's words are left out because they quote the body`;
}

/** The parsed body, or the refusal (413, 415, 400). */
export async function readJsonBody(req: IncomingMessage, limit: number, options: ReadJsonOptions = {}): Promise<{ readonly json: unknown } | ApiError> {
  const type = req.headers['content-type'];
  if (type !== undefined && !JSON_CONTENT_TYPE.test(type)) return apiError('unsupported_media_type', `Content-Type ${type.slice(0, 100)} is not JSON; send application/json`);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return apiError('unsupported_media_type', `Content-Encoding ${encoding.slice(0, 50)} is not accepted; send the JSON uncompressed`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return apiError('body_too_large', `the body is ${declared} bytes; the limit is ${limit}`, { limit, size: declared });
  }

  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping it; the rest drains into nothing and the answer closes the connection.
        req.off('data', onData);
        req.resume();
        resolve(true);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(false));
    req.once('error', reject);
  });
  if (tooLarge) return apiError('body_too_large', `the body is over ${limit} bytes (at least ${size} read)`, { limit, size });

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return apiError('invalid_json', 'the body is empty; send a JSON object');
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (err) {
    return apiError('invalid_json', `the body is not valid JSON (${parseProblem(err, options.mayHoldSecrets === true)})`);
  }
}
