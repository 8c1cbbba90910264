/** `pnpm --filter @stratum/topics generate`: writes docs/pipeline.md from the catalogue and the schemas. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_DOC, pipelineDoc } from './pipeline-doc';
import { workspaceRoot } from './workspace-root';

try {
  const root = workspaceRoot();
  const file = join(root, PIPELINE_DOC);
  const text = pipelineDoc(root);
  let before: string | null = null;
  try {
    before = readFileSync(file, 'utf8');
  } catch {
    // first generation
  }
  if (before === text) process.stdout.write(`${PIPELINE_DOC} is up to date\n`);
  else {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${PIPELINE_DOC}\n`);
  }
} catch (err) {
  process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
