/**
 * The truth of a file from `stratum import generate`: its `entity_id` column, one entry per data
 * row (row number − 1), for scoring the profiles an import formed (`pairwiseQuality` of
 * @stratum/matching). Shared by the import e2e test and `pnpm bench import`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export async function entitiesOf(file: string): Promise<string[]> {
  let column = -1;
  const entities: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const cells = line.split(',');
    if (column === -1) {
      column = cells.indexOf('entity_id');
      if (column === -1) throw new Error(`${file}: no entity_id column`);
      continue;
    }
    entities.push(cells[column] ?? '');
  }
  return entities;
}
