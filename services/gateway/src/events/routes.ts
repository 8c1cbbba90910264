/**
 * The Segment tracking API's endpoints: six single-event routes whose path names the call type,
 * and two batch-shaped ones (`/v1/batch`, and `/v1/import`, Segment's endpoint for historical
 * data, which takes the same body).
 */

/** Segment call types, the values `type` may take. */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

export function isSegmentType(value: unknown): value is SegmentType {
  return typeof value === 'string' && (SEGMENT_TYPES as readonly string[]).includes(value);
}

export type EventRoute =
  | { readonly path: string; readonly kind: 'single'; readonly type: SegmentType }
  | { readonly path: string; readonly kind: 'batch' };

export const EVENT_ROUTES: readonly EventRoute[] = [
  ...SEGMENT_TYPES.map((type): EventRoute => ({ path: `/v1/${type}`, kind: 'single', type })),
  { path: '/v1/batch', kind: 'batch' },
  { path: '/v1/import', kind: 'batch' },
];
