import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicsError } from '../errors';
import { workspaceRoot } from './workspace-root';

it('finds the folder with pnpm-workspace.yaml above the working directory', () => {
  const root = workspaceRoot();
  expect(existsSync(join(root, 'pnpm-workspace.yaml'))).toBe(true);
  expect(workspaceRoot(join(root, 'packages', 'topics', 'src'))).toBe(root);
});

it('says so when there is no workspace above', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-no-workspace-'));
  try {
    expect(() => workspaceRoot(dir)).toThrow(TopicsError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
