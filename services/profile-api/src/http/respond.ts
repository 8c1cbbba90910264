/**
 * Writing answers straight on Node's ServerResponse: JSON with the request id on every answer;
 * error bodies are `{code, message, ...details, requestId}` with the headers their status needs.
 * Nothing is cached by intermediaries: these are one tenant's personal data.
 */
import type { ServerResponse } from 'node:http';
import { statusOf, type ApiError } from './errors';
import { REQUEST_ID_HEADER } from './request-id';

const JSON_TYPE = 'application/json; charset=utf-8';

export const AUTH_CHALLENGE = 'Bearer realm="Stratum"';

/** `Retry-After` in whole seconds, at least 1 (a 0 would invite an immediate retry storm). */
export function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}

/** Any JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** The error answer; returns its status. */
export function sendError(res: ServerResponse, requestId: string, error: ApiError): number {
  const status = statusOf(error.code);
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  const { details } = error;
  if (status === 401) headers['www-authenticate'] = AUTH_CHALLENGE;
  if (details.retryAfterSeconds !== undefined) headers['retry-after'] = retryAfterHeader(details.retryAfterSeconds);
  if (details.allow !== undefined) headers['allow'] = details.allow.join(', ');
  // The rest of an oversized body was not read: the connection cannot carry another request.
  if (error.code === 'body_too_large') headers['connection'] = 'close';
  sendJson(res, status, { code: error.code, message: error.message, ...details, requestId }, headers);
  return status;
}
