/**
 * Finds the workspace root (the folder holding pnpm-workspace.yaml) by walking up from the
 * working directory. Neither `__dirname` (jest compiles to CommonJS) nor `import.meta` (tsx runs
 * ESM) works in both places; every way this package runs (pnpm --filter, jest, tsx) starts inside
 * the workspace.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TopicsError } from '../errors';

/** The workspace root above `from` (default: the working directory). */
export function workspaceRoot(from: string = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new TopicsError('workspace_not_found', `no pnpm-workspace.yaml in ${from} or any folder above it`);
  }
}
