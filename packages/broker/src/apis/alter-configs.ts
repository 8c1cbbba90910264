/**
 * AlterConfigs (key 33), v0–1 (same layout). Replaces a topic's whole config set (non-incremental,
 * as Kafka's legacy AlterConfigs does).
 *   Request: resources [resource_type i8, resource_name string, configs [name string, value nullable string]], validate_only bool
 *   Response: throttle_time_ms i32, responses [error_code i16, error_message nullable string, resource_type i8, resource_name string]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import { validateTopicConfigs } from '../topics/topic-config';
import { configMap } from './create-topics';
import { ResourceType } from './describe-configs';

interface Req {
  resources: { type: number; name: string; configs: { name: string; value: string | null }[] }[];
  validateOnly: boolean;
}
type Res = { errorCode: number; message: string | null; type: number; name: string }[];

export const alterConfigsApi = defineApi<Req, Res>({
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    const resources = r.array((r) => ({
      type: r.int8(),
      name: r.string(),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    return { resources, validateOnly: r.bool() };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, x) => w.int16(x.errorCode).nullableString(x.message).int8(x.type).string(x.name));
  },
  handle(broker, req) {
    return req.resources.map(({ type, name, configs }) => {
      const base = { type, name };
      if (type !== ResourceType.TOPIC) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, message: 'only topic configs can be altered' };
      if (!broker.topics.get(name)) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `topic ${name} does not exist` };
      const next = configMap(configs);
      const problem = validateTopicConfigs(next);
      if (problem) return { ...base, errorCode: ErrorCode.INVALID_CONFIG, message: problem };
      if (!req.validateOnly) broker.topics.setConfigs(name, next);
      return { ...base, errorCode: ErrorCode.NONE, message: null };
    });
  },
});
