/** Every API this broker serves, by key. ApiVersions advertises exactly this table. */
import type { ApiDefinition } from '../protocol/api';
import { apiVersionsApi } from './api-versions';
import { produceApi } from './produce';
import { fetchApi } from './fetch';
import { listOffsetsApi } from './list-offsets';
import { metadataApi } from './metadata';
import { findCoordinatorApi } from './find-coordinator';
import { createTopicsApi } from './create-topics';
import { deleteTopicsApi } from './delete-topics';
import { createPartitionsApi } from './create-partitions';
import { deleteRecordsApi } from './delete-records';
import { describeConfigsApi } from './describe-configs';
import { alterConfigsApi } from './alter-configs';
import { initProducerIdApi } from './init-producer-id';
import { addPartitionsToTxnApi } from './add-partitions-to-txn';
import { addOffsetsToTxnApi } from './add-offsets-to-txn';
import { endTxnApi } from './end-txn';
import { txnOffsetCommitApi } from './txn-offset-commit';
import { groupApis } from './group-apis';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyApi = ApiDefinition<any, any>;

/** Builds the key → API table. */
export function buildApiTable(): ReadonlyMap<number, AnyApi> {
  const table = new Map<number, AnyApi>();
  const all: AnyApi[] = [
    apiVersionsApi(() => table),
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    findCoordinatorApi,
    createTopicsApi,
    deleteTopicsApi,
    createPartitionsApi,
    deleteRecordsApi,
    describeConfigsApi,
    alterConfigsApi,
    initProducerIdApi,
    addPartitionsToTxnApi,
    addOffsetsToTxnApi,
    endTxnApi,
    txnOffsetCommitApi,
    ...groupApis,
  ];
  for (const api of all) {
    if (table.has(api.key)) throw new Error(`API key ${api.key} registered twice`);
    table.set(api.key, api);
  }
  return table;
}
