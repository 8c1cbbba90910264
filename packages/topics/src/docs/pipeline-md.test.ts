/** docs/pipeline.md is generated: this fails when the committed file differs from the generator's output. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_DOC, pipelineDoc } from './pipeline-doc';
import { GENERATE_COMMAND } from './render';
import { workspaceRoot } from './workspace-root';

it(`docs/pipeline.md is what \`${GENERATE_COMMAND}\` writes`, () => {
  const root = workspaceRoot();
  let expected: string;
  try {
    expected = pipelineDoc(root);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n(write the missing schemas, then run \`${GENERATE_COMMAND}\`)`, { cause: err });
  }
  let committed: string | null = null;
  try {
    committed = readFileSync(join(root, PIPELINE_DOC), 'utf8');
  } catch {
    // reported below
  }
  if (committed !== expected) {
    throw new Error(`${PIPELINE_DOC} is ${committed === null ? 'missing' : 'out of date'}: run \`${GENERATE_COMMAND}\``);
  }
});
