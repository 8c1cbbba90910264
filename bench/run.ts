/** `pnpm bench <name>`: runs one benchmark, prints its numbers and the machine. */
import { cpus, totalmem, platform, release } from 'node:os';

const benches: Record<string, () => Promise<unknown>> = {
  broker: () => import('./broker/main'),
  serde: () => import('./serde/main'),
  registry: () => import('./registry/main'),
  stage: () => import('./stage/main'),
  ingest: () => import('./ingest/ingest'),
  dedup: () => import('./dedup/dedup'),
  identity: () => import('./identity/identity'),
  gateway: () => import('./gateway/main'),
  delivery: () => import('./delivery/delivery'),
  e2e: () => import('./e2e/e2e'),
  import: () => import('./import/import'),
  matching: () => import('./matching/matching'),
};

const name = process.argv[2];
if (!name || !benches[name]) {
  process.stderr.write(`usage: pnpm bench <${Object.keys(benches).join('|')}>\n`);
  process.exit(2);
}
const cpu = cpus();
process.stdout.write(
  `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, node ${process.version}\n`,
);
await benches[name]!();
