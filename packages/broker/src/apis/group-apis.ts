/** The consumer-group APIs, registered by apis/index.ts. */
import type { ApiDefinition } from '../protocol/api';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const groupApis: ApiDefinition<any, any>[] = [];
