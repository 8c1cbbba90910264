/**
 * Reads the contract: `schemas/<name>/v<N>.avsc`, one folder per topic schema, one file per
 * version. Refuses gaps in the version numbers and files avsc cannot parse, so a broken contract
 * fails generation and CI instead of failing a producer at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';

export interface SchemaVersionFile {
  version: number;
  file: string;
  schema: avro.Schema;
}

export interface SchemaFolder {
  /** Folder name: the topic whose contract it is (retry tiers reuse delivery.attempts). */
  name: string;
  /** Every version, oldest first; versions are 1..N with no gaps. */
  versions: SchemaVersionFile[];
}

const VERSION_FILE = /^v([1-9]\d*)\.avsc$/;

/** Loads and parses every schema folder under `schemasDir`, sorted by name. */
export function loadSchemaFolders(schemasDir: string): SchemaFolder[] {
  return readdirSync(schemasDir)
    .filter((entry) => statSync(join(schemasDir, entry)).isDirectory())
    .sort()
    .map((name) => loadFolder(schemasDir, name));
}

function loadFolder(schemasDir: string, name: string): SchemaFolder {
  const dir = join(schemasDir, name);
  const versions: SchemaVersionFile[] = [];
  for (const entry of readdirSync(dir)) {
    const match = VERSION_FILE.exec(entry);
    if (!match) throw new Error(`${join(dir, entry)}: schema files must be named v<N>.avsc`);
    const file = join(dir, entry);
    let schema: avro.Schema;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8')) as avro.Schema;
      avro.Type.forSchema(schema);
    } catch (err) {
      throw new Error(`${file}: not a valid Avro schema: ${(err as Error).message}`, { cause: err });
    }
    versions.push({ version: Number(match[1]), file, schema });
  }
  versions.sort((a, b) => a.version - b.version);
  versions.forEach((v, i) => {
    if (v.version !== i + 1) throw new Error(`${dir}: versions must run 1..N without gaps; found v${v.version} where v${i + 1} belongs`);
  });
  if (versions.length === 0) throw new Error(`${dir}: no v1.avsc`);
  return { name, versions };
}

/** The newest version of a folder. */
export function latest(folder: SchemaFolder): SchemaVersionFile {
  return folder.versions[folder.versions.length - 1]!;
}
