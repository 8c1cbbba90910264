import type { Knex } from 'knex';

/** One step of the schema history. Never edit one that has shipped: add the next. */
export interface Migration {
  /** `YYYYMMDDHHMM_what`, sorted by name = applied in order. */
  readonly name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}
