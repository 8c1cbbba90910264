/**
 * ApiVersions (key 18), v0–3. librdkafka opens with v3 (flexible body), kafkajs with v2.
 *   Request v0–2: (empty)     v3: client_software_name compact string, client_software_version compact string, tags
 *   Response v0: error_code i16, api_keys [api_key i16, min_version i16, max_version i16]
 *            v1–2: + throttle_time_ms i32
 *            v3: error_code i16, api_keys compact [api_key, min, max, tags], throttle_time_ms i32, tags
 * The response header is always v0 (no tags), even for v3.
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { Writer } from '../protocol/writer';

interface ApiRange {
  key: number;
  min: number;
  max: number;
}

/** What ApiVersions needs to know of each API. */
type VersionedApis = ReadonlyMap<number, { key: number; minVersion: number; maxVersion: number; advertisedMinVersion?: number }>;

interface ApiVersionsResponse {
  errorCode: number;
  apis: ApiRange[];
}

function rangesOf(apis: VersionedApis): ApiRange[] {
  return [...apis.values()].sort((a, b) => a.key - b.key).map((a) => ({ key: a.key, min: a.advertisedMinVersion ?? a.minVersion, max: a.maxVersion }));
}

function encodeV0(w: Writer, res: ApiVersionsResponse): void {
  w.int16(res.errorCode).array(res.apis, (w, a) => w.int16(a.key).int16(a.min).int16(a.max));
}

/** The v0-layout body sent when a client asks for an ApiVersions version we do not have. */
export function encodeUnsupportedApiVersions(apis: VersionedApis): (w: Writer) => void {
  return (w) => encodeV0(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apis: rangesOf(apis) });
}

/** Builds the ApiVersions API over the table of every API this broker serves. */
export function apiVersionsApi(table: () => VersionedApis) {
  return defineApi<{ clientSoftware?: string }, ApiVersionsResponse>({
    key: 18,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 3,
    flexibleFrom: 3,
    decode(r, version) {
      if (version < 3) return {};
      const name = r.compactString();
      const ver = r.compactString();
      r.taggedFields();
      return { clientSoftware: `${name} ${ver}` };
    },
    encode(w, version, res) {
      if (version === 0) return encodeV0(w, res);
      if (version < 3) {
        encodeV0(w, res);
        w.int32(0);
        return;
      }
      w.int16(res.errorCode);
      w.compactArray(res.apis, (w, a) => w.int16(a.key).int16(a.min).int16(a.max).emptyTaggedFields());
      w.int32(0);
      w.emptyTaggedFields();
    },
    handle() {
      return { errorCode: ErrorCode.NONE, apis: rangesOf(table()) };
    },
  });
}
