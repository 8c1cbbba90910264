/**
 * `pnpm --filter @stratum/topics generate`: writes the files generated from the catalogue —
 * docs/pipeline.md (with the schemas) and k8s/base/kafka-topics.yaml (Strimzi KafkaTopics).
 * Each has a test that fails when the committed copy is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KAFKA_TOPICS_MANIFEST, renderKafkaTopicsManifest } from '../strimzi';
import { PIPELINE_DOC, pipelineDoc } from './pipeline-doc';
import { workspaceRoot } from './workspace-root';

const GENERATED: readonly { path: string; render: (root: string) => string }[] = [
  { path: PIPELINE_DOC, render: pipelineDoc },
  { path: KAFKA_TOPICS_MANIFEST, render: () => renderKafkaTopicsManifest() },
];

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // first generation
  }
}

try {
  const root = workspaceRoot();
  for (const { path, render } of GENERATED) {
    const file = join(root, path);
    const text = render(root);
    if (readOrNull(file) === text) process.stdout.write(`${path} is up to date\n`);
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
} catch (err) {
  process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
