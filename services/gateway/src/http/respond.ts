/**
 * Writing answers straight on Node's ServerResponse (express's res.json would add an ETag pass
 * and content-type look-ups per call). Every answer carries the request id; error bodies are
 * `{code, message, ...numbers, requestId}` with the headers their status needs.
 */
import type { ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER } from './request-id';
import { statusOf, type Refusal } from './errors';
import { AUTH_CHALLENGE } from './auth';

const JSON_TYPE = 'application/json; charset=utf-8';
// Bodies are written as strings: Node then sends headers and body in one write() instead of a
// writev() of two buffers, which profiling showed to be the largest single cost of a small answer.
const SUCCESS_BODY = '{"success":true}';

/** `Retry-After` in whole seconds, at least 1 (a 0 would invite an immediate retry storm). */
export function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}

/** 200 `{"success":true}`, what Segment's and RudderStack's SDKs expect. */
export function sendSuccess(res: ServerResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': SUCCESS_BODY.length, [REQUEST_ID_HEADER]: requestId });
  res.end(SUCCESS_BODY, 'latin1');
}

/** Any JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The error answer for a refusal; returns its status. */
export function sendRefusal(res: ServerResponse, requestId: string, refusal: Refusal): number {
  const status = statusOf(refusal.code);
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  const { details } = refusal;
  if (status === 401) headers['www-authenticate'] = AUTH_CHALLENGE;
  if (details.retryAfterSeconds !== undefined) headers['retry-after'] = retryAfterHeader(details.retryAfterSeconds);
  if (details.allow !== undefined) headers['allow'] = details.allow.join(', ');
  sendJson(res, status, { code: refusal.code, message: refusal.message, ...details, requestId }, headers);
  return status;
}
