'use strict';
/**
 * `node cli-launcher.cjs <bundle> <stratum args...>`: runs the CLI bundle (cli-bundle.ts) as Node
 * would run `node <bundle> <args...>`, but compiled with V8's code cache when one exists beside it
 * (<bundle>.v8-cache): parsing the 5 MB bundle is most of what is left of a CLI start.
 * With STRATUM_CLI_TEST_WRITE_CACHE=1 it writes that cache when the process exits.
 */
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

const bundle = process.argv[2];
// What the CLI sees: `node <bundle> <args...>`.
process.argv.splice(1, 2, bundle);
const cacheFile = `${bundle}.v8-cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The hashbang line is blanked, not removed, so that line numbers in stack traces stay the bundle's.
const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(wrap(source), { filename: bundle, cachedData });
if (process.env.STRATUM_CLI_TEST_WRITE_CACHE === '1') {
  // After the run, so that the functions it compiled on the way are in the cache too.
  process.once('exit', () => {
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  });
}
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
