/**
 * The request body as bytes, read by hand instead of with a body-parser: one pass, no
 * middleware, a hard cap on what is kept in memory, and the sizes at hand for the error answer.
 * The cap applies to the bytes on the wire; decompress.ts applies it again to what they inflate to.
 */
import type { IncomingMessage } from 'node:http';
import { refusal, type Refusal } from './errors';

function tooLarge(size: number, limit: number, lowerBound: boolean): Refusal {
  const sizeText = lowerBound ? `more than ${limit} bytes (stopped reading at ${size})` : `${size} bytes`;
  return refusal('batch_too_large', `request body is ${sizeText}; the limit is ${limit} bytes`, {
    limit,
    size,
    ...(lowerBound ? { sizeIsLowerBound: true } : {}),
  });
}

/**
 * Reads the whole body if it is at most `limit` bytes. A declared Content-Length over the limit
 * is refused before reading; an undeclared one is refused as soon as the limit is passed, and
 * the rest is left for Node to discard so the connection stays usable.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | Refusal> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (Number.isSafeInteger(length) && length > limit) return Promise.resolve(tooLarge(length, limit, false));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Buffer | Refusal) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(tooLarge(size, limit, true));
      else chunks.push(chunk);
    };
    const onEnd = () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    // The client went away mid-body: nobody will read the answer, but the request must still end.
    const onAbort = () => settle(refusal('invalid_body', `the request body ended early after ${size} bytes (connection closed)`));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
