/**
 * How one Kafka API is described: its key, the versions we advertise, the wire grammar
 * (decode the request body, encode the response body) and the handler that answers it.
 * Each API lives in its own file under `apis/`, with its grammar in a comment on top.
 */
import type { Reader } from './reader';
import type { Writer } from './writer';
import type { BrokerState } from '../broker-state';

/** Returned by a handler when the protocol says no response is sent (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no-response');

export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Unique per TCP connection, for logs. */
  readonly connectionId: number;
  readonly clientHost: string;
  /** Aborted when the connection closes: long-polls and joins stop waiting. */
  readonly signal: AbortSignal;
}

export interface ApiDefinition<Req = unknown, Res = unknown> {
  readonly key: number;
  readonly name: string;
  /** Advertised [min, max]; other versions get UNSUPPORTED_VERSION. */
  readonly minVersion: number;
  readonly maxVersion: number;
  /**
   * The min version ApiVersions advertises, when it must be lower than `minVersion` (requests
   * below `minVersion` are still refused). Only Produce needs it: see produce.ts.
   */
  readonly advertisedMinVersion?: number;
  /** First flexible version (request header v2, response header v1), if we advertise any. */
  readonly flexibleFrom?: number;
  decode(r: Reader, version: number): Req;
  encode(w: Writer, version: number, res: Res): void;
  handle(broker: BrokerState, req: Req, ctx: RequestContext): Res | typeof NO_RESPONSE | Promise<Res | typeof NO_RESPONSE>;
}

/** Identity helper that lets TypeScript infer Req/Res for an API definition. */
export function defineApi<Req, Res>(def: ApiDefinition<Req, Res>): ApiDefinition<Req, Res> {
  return def;
}

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
} as const;
