/**
 * The envelope fields the gateway carries into a RawEvent, grouped by the JSON types the Avro
 * schema can hold for them. Checking these types is structural (the record could not be built
 * otherwise); whether a value makes sense is ingest's job.
 */

/** Text in the RawEvent; a JSON number is accepted and carried as its decimal text. */
export const TEXT_FIELDS = ['messageId', 'userId', 'anonymousId', 'groupId', 'previousId', 'event', 'name', 'timestamp', 'sentAt', 'originalTimestamp', 'schemaVersion'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Ids: a number above 2^53 has already lost digits in JSON.parse, so it is refused rather than carried wrong. */
export const ID_FIELDS: ReadonlySet<TextField> = new Set(['messageId', 'userId', 'anonymousId', 'groupId', 'previousId']);

/** Free-form JSON objects, carried as JSON text. */
export const OBJECT_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const;
export type ObjectField = (typeof OBJECT_FIELDS)[number];

/** The text of a string or finite number; null for null/absent (callers check the type first). */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** A non-empty string or a finite number: what counts as an id being there. */
export function isPresentId(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}
