/** docs/pipeline.md from the workspace's catalogue and schemas: what `generate` writes and the test compares. */
import { join } from 'node:path';
import { topicCatalogue } from '../catalogue';
import { renderPipelineDoc } from './render';
import { readValueSchemas } from './value-schemas';

/** Where the generated file lives, from the workspace root. */
export const PIPELINE_DOC = join('docs', 'pipeline.md');

/** The contents docs/pipeline.md must have; throws naming every missing value schema. */
export function pipelineDoc(root: string): string {
  return renderPipelineDoc(topicCatalogue, readValueSchemas(root, topicCatalogue));
}
