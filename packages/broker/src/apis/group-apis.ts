/** The consumer-group APIs, registered by apis/index.ts. */
import type { ApiDefinition } from '../protocol/api';
import { joinGroupApi } from './join-group';
import { syncGroupApi } from './sync-group';
import { heartbeatApi } from './heartbeat';
import { leaveGroupApi } from './leave-group';
import { offsetCommitApi } from './offset-commit';
import { offsetFetchApi } from './offset-fetch';
import { describeGroupsApi } from './describe-groups';
import { listGroupsApi } from './list-groups';
import { deleteGroupsApi } from './delete-groups';

/** JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit/Fetch, Describe/List/DeleteGroups. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const groupApis: ApiDefinition<any, any>[] = [
  joinGroupApi,
  syncGroupApi,
  heartbeatApi,
  leaveGroupApi,
  offsetCommitApi,
  offsetFetchApi,
  describeGroupsApi,
  listGroupsApi,
  deleteGroupsApi,
];
