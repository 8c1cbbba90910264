/**
 * DeleteTopics (key 20), v0–1.
 *   Request: topic_names [string], timeout_ms i32
 *   Response: (v1) throttle_time_ms i32, responses [name string, error_code i16]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';

export const deleteTopicsApi = defineApi<{ names: string[] }, { name: string; errorCode: number }[]>({
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    const names = r.array((r) => r.string());
    r.int32();
    return { names };
  },
  encode(w, version, res) {
    if (version >= 1) w.int32(0);
    w.array(res, (w, t) => w.string(t.name).int16(t.errorCode));
  },
  handle(broker, req) {
    return req.names.map((name) => {
      if (!broker.topics.get(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      broker.topics.delete(name);
      broker.groups.removeTopic(name);
      return { name, errorCode: ErrorCode.NONE };
    });
  },
});
