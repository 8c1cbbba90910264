/**
 * @stratum/stream: the stage runtime every service is built on — steps with tagged results,
 * named outputs, commits only after acknowledged outputs, rebalances, backpressure, retries,
 * graceful shutdown. See docs/stream.md for the exact guarantee.
 */
export { ok, drop, quarantine, quarantineAll, retry, type StepResult, type QuarantineReason } from './result';
export { recordStep, batchStep, type Step } from './step';
export { pipeline, Pipeline, type PipelineOutcome } from './pipeline';
export { defineStage, type StageDefinition, type Emission, type OutputSchemas } from './stage';
export type { RecordContext } from './record-context';
export { startStage, type RunStageOptions, type RunningStage, type StageTopics } from './runner';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { createKafka, type KafkaConnection } from './kafka';
export type { DeliveryGuarantee } from './delivery/output-delivery';
export { FAILPOINTS, parseFailpoints, type Failpoints, type FailpointName } from './failpoints';
export { runStageProcess, runStagesProcess, stageProcessFragment, type StageProcess, type StageProcessOptions, type StageRun } from './stage-process';
