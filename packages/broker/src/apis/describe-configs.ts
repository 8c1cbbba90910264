/**
 * DescribeConfigs (key 32), v0–2 (v1 = v2).
 *   Request: resources [resource_type i8, resource_name string, configuration_keys nullable [string]], (v1+) include_synonyms bool
 *   Response: throttle_time_ms i32, results [error_code i16, error_message nullable string, resource_type i8, resource_name string,
 *             configs [name string, value nullable string, read_only bool, (v0) is_default bool | (v1+) config_source i8,
 *                      is_sensitive bool, (v1+) synonyms [name string, value nullable string, source i8]]]
 */
import { defineApi } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { BrokerState } from '../broker-state';
import { TOPIC_CONFIGS } from '../topics/topic-config';

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;
const Source = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
}
interface ResourceResult {
  errorCode: number;
  message: string | null;
  type: number;
  name: string;
  configs: ConfigEntry[];
}
interface Req {
  resources: { type: number; name: string; keys: string[] | null }[];
}

function brokerConfigs(broker: BrokerState): ConfigEntry[] {
  const c = broker.config;
  const entries: [string, string][] = [
    ['broker.id', String(c.nodeId)],
    ['auto.create.topics.enable', String(c.autoCreateTopics)],
    ['num.partitions', String(c.defaultPartitions)],
    ['message.max.bytes', String(c.messageMaxBytes)],
    ['socket.request.max.bytes', String(c.maxFrameBytes)],
    ['group.min.session.timeout.ms', String(c.groupMinSessionTimeoutMs)],
    ['group.max.session.timeout.ms', String(c.groupMaxSessionTimeoutMs)],
    ['transaction.max.timeout.ms', String(c.transactionMaxTimeoutMs)],
    ['log.dirs', c.dataDir],
  ];
  return entries.map(([name, value]) => ({ name, value, readOnly: true, source: Source.STATIC_BROKER_CONFIG }));
}

function describe(broker: BrokerState, type: number, name: string, keys: string[] | null): ResourceResult {
  const base = { type, name };
  let configs: ConfigEntry[];
  if (type === ResourceType.TOPIC) {
    const topic = broker.topics.get(name);
    if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `topic ${name} does not exist`, configs: [] };
    configs = Object.entries(TOPIC_CONFIGS).map(([key, spec]) => {
      const explicit = topic.configs[key];
      return { name: key, value: explicit ?? spec.default, readOnly: false, source: explicit === undefined ? Source.DEFAULT_CONFIG : Source.DYNAMIC_TOPIC_CONFIG };
    });
  } else if (type === ResourceType.BROKER) {
    if (name !== '' && name !== String(broker.config.nodeId)) {
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, message: `unknown broker ${name}`, configs: [] };
    }
    configs = brokerConfigs(broker);
  } else {
    return { ...base, errorCode: ErrorCode.INVALID_REQUEST, message: `resource type ${type} is not supported`, configs: [] };
  }
  const wanted = keys && keys.length ? configs.filter((c) => keys.includes(c.name)) : configs;
  return { ...base, errorCode: ErrorCode.NONE, message: null, configs: wanted };
}

export const describeConfigsApi = defineApi<Req, ResourceResult[]>({
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  decode(r, version) {
    const resources = r.array((r) => ({ type: r.int8(), name: r.string(), keys: r.nullableArray((r) => r.string()) }));
    if (version >= 1) r.bool();
    return { resources };
  },
  encode(w, version, res) {
    w.int32(0).array(res, (w, x) => {
      w.int16(x.errorCode).nullableString(x.message).int8(x.type).string(x.name);
      w.array(x.configs, (w, c) => {
        w.string(c.name).nullableString(c.value).bool(c.readOnly);
        if (version === 0) w.bool(c.source === Source.DEFAULT_CONFIG);
        else w.int8(c.source);
        w.bool(false);
        if (version >= 1) w.array([], () => undefined);
      });
    });
  },
  handle(broker, req) {
    return req.resources.map((x) => describe(broker, x.type, x.name, x.keys));
  },
});
