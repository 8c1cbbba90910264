// Copies packages, and everything they load at run time, out of a hoisted node_modules
// (pnpm --config.node-linker=hoisted: every package is a top-level folder) into another one.
//
//   node copy-closure.mjs <from node_modules> <to node_modules> <package>...
//
// Why: the services run under tsx, a devDependency of the workspace root. The image's
// `pnpm install --prod` leaves every devDependency out; a second, frozen install of the root gives
// tsx with the lockfile's versions but also eslint, turbo and typescript. This keeps only tsx and
// its dependencies (esbuild and esbuild's binary for this platform).
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [from, to, ...wanted] = process.argv.slice(2);
if (from === undefined || to === undefined || wanted.length === 0) {
  console.error('usage: node copy-closure.mjs <from node_modules> <to node_modules> <package>...');
  process.exit(64);
}
for (const name of wanted) {
  if (!existsSync(join(from, name, 'package.json'))) {
    console.error(`copy-closure: ${name} is not installed in ${from}`);
    process.exit(1);
  }
}

const copied = new Set();
const queue = [...wanted];
while (queue.length > 0) {
  const name = queue.pop();
  if (copied.has(name)) continue;
  const dir = join(from, name);
  // Optional dependencies for other platforms (fsevents, @esbuild/darwin-arm64...) are not installed.
  if (!existsSync(join(dir, 'package.json'))) continue;
  copied.add(name);
  // The whole folder: a nested node_modules (a version clash that hoisting left in place) comes along.
  cpSync(dir, join(to, name), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  queue.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
}
console.log(`copy-closure: ${[...copied].sort().join(' ')}`);
