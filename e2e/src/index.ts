/**
 * @stratum/e2e: the whole pipeline as processes under faults. `pnpm test:e2e` runs the small
 * fault run (test/); `pnpm bench e2e` drives the same harness for throughput and latency.
 */
export { ChaosProcess, type ProcessSpec, type ChaosProcessOptions } from './chaos-process';
export { startCluster, repoRoot, STAGES, type Cluster, type ClusterOptions, type StageName } from './cluster';
export { startChaos, type Chaos, type ChaosOptions } from './chaos';
export { planTraffic, seededRandom, type PlannedCall, type TrafficPlan, type TrafficOptions, type User } from './traffic';
export { sendCalls, type SendResult, type SenderOptions } from './sdk-sender';
export { startSinks, stopSinks, SINK_NAMES, type SinkName, type Sink, type DeliveredEvent, type Expectation } from './sinks';
export { checkSink, checkProfiles, formatReport, type SinkReport, type ProfileReport } from './verify';
export { runFaultScenario, type FaultRunOptions, type FaultRunResult } from './fault-run';
export { entitiesOf } from './person-file';
