/** Turns the schema folders into the package's generated sources (types + embedded schemas). */
import { join } from 'node:path';
import { latest, loadSchemaFolders } from './load-schemas';
import { TypeScriptRenderer, type AvroJson } from './avro-to-ts';

const BANNER = '// Generated from schemas/*.avsc by `pnpm --filter @stratum/schemas generate`. Do not edit.\n';

/** Generated file path (relative to the package root) → content. */
export type GeneratedFiles = Map<string, string>;

/** Renders every generated file for the contract in `schemasDir`. */
export function generateFiles(schemasDir: string): GeneratedFiles {
  const folders = loadSchemaFolders(schemasDir);
  const renderer = new TypeScriptRenderer();
  const roots = folders.map((folder) => {
    const newest = latest(folder);
    const rootType = renderer.add(newest.schema as AvroJson, `${folder.name}/v${newest.version}.avsc`);
    return { name: folder.name, version: newest.version, rootType, schema: newest.schema };
  });

  const types =
    BANNER +
    '\n/** A point in time: milliseconds since the Unix epoch, UTC (Avro long, logicalType timestamp-millis). */\n' +
    'export type EpochMillis = number;\n\n' +
    renderer.declarations();

  const imports = [...new Set(roots.map((r) => r.rootType))].sort().join(', ');
  const typeMap = roots.map((r) => `  '${r.name}': ${r.rootType};\n`).join('');
  const entries = roots.map((r) => `  '${r.name}': {\n    version: ${r.version},\n    schema: ${JSON.stringify(JSON.stringify(r.schema))},\n  },\n`).join('');
  const schemas =
    BANNER +
    `import type { ${imports} } from './types';\n\n` +
    '/** The TypeScript type of a record of each schema (the newest version). */\n' +
    `export interface SchemaTypes {\n${typeMap}}\n\n` +
    '/** A schema folder under schemas/: the topic whose contract it is. */\n' +
    'export type SchemaName = keyof SchemaTypes;\n\n' +
    '/** The newest version of every schema, as registered: the reader schema of its serde. */\n' +
    `export const latestSchemas: Record<SchemaName, { version: number; schema: string }> = {\n${entries}};\n`;

  return new Map([
    [join('src', 'generated', 'types.ts'), types],
    [join('src', 'generated', 'schemas.ts'), schemas],
  ]);
}
