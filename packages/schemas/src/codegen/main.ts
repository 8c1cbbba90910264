/**
 * `pnpm --filter @stratum/schemas generate [--check]`: writes src/generated/ from schemas/.
 * With --check it only compares and exits 1 when the generated files are stale.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateFiles } from './generate';

function repoRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}

const root = repoRoot(process.cwd());
const packageDir = join(root, 'packages', 'schemas');
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of generateFiles(join(root, 'schemas'))) {
  const file = join(packageDir, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  stale++;
  if (check) {
    process.stderr.write(`stale: packages/schemas/${path}\n`);
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stdout.write(`wrote packages/schemas/${path}\n`);
  }
}
if (check && stale > 0) {
  process.stderr.write('generated files differ from schemas/: run `pnpm --filter @stratum/schemas generate`\n');
  process.exit(1);
}
if (!check && stale === 0) process.stdout.write('generated files are up to date\n');
