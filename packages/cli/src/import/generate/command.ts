/** `stratum import generate`: a synthetic person file with known duplicates, streamed to a file or stdout. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, InvalidArgumentError } from 'commander';
import { csvLines, generatePersons } from './generator';

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`must be a number from 0 to below 1, got "${value}"`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`must be a non-negative integer, got "${value}"`);
  return n;
}

interface GenerateFlags {
  rows: number;
  dupRate: number;
  maxDups: number;
  seed: number;
  maxModifications: number;
  out?: string;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('write a synthetic person CSV with known duplicates (typos, swapped names, missing values, formatting noise); entity_id is the ground truth')
    .requiredOption('--rows <n>', 'rows in all, originals and duplicates', positive)
    .option('--dup-rate <r>', 'share of rows that are duplicates (approximately)', rate, 0.3)
    .option('--max-dups <n>', 'most duplicates of one original', nonNegative, 5)
    .option('--max-modifications <n>', 'most modifications per duplicate', positive, 3)
    .option('--seed <n>', 'random seed: the same seed gives the same file', nonNegative, 1)
    .option('--out <file>', 'write here (default: standard output)')
    .action(async (flags: GenerateFlags) => {
      const lines = csvLines(generatePersons({ rows: flags.rows, dupRate: flags.dupRate, maxDups: flags.maxDups, seed: flags.seed, maxModifications: flags.maxModifications }));
      await pipeline(Readable.from(lines), flags.out ? createWriteStream(flags.out) : process.stdout);
    });
}
