/**
 * One chunk of one partition's records through a stage, without touching Kafka: decode, run the
 * steps, turn outcomes into encoded output records, and work out how far the chunk may be
 * committed. A `retry` outcome stops the chunk there: records before it are emitted and
 * committed, it and everything after are left for the partition to come back to (in order).
 */
import { SerdeError, type AvroSerde, type SchemaName, type SchemaTypes } from '@stratum/schemas';
import type { OutputSchemas, StageDefinition } from './stage';
import type { RecordContext } from './record-context';
import { quarantineKey, quarantineRecord } from './quarantine-record';
import type { QuarantineReason } from './result';

export interface InputRecord {
  ctx: RecordContext;
  value: Buffer | null;
}

export interface OutputRecord {
  output: string;
  key: string;
  /** null: a tombstone (compacted topics forget the key). */
  value: Buffer | null;
}

/** How one input record ended, for metrics and logs. */
export interface RecordOutcome {
  offset: string;
  outcome: 'ok' | 'drop' | 'quarantine' | 'retry';
  reason: string;
  /** Outputs written (ok: the emitted ones; quarantine: the quarantine output). */
  outputs: string[];
}

export interface ChunkResult {
  records: OutputRecord[];
  outcomes: RecordOutcome[];
  /** Offset to commit (one past the last handled record), or null when none was handled. */
  commitOffset: string | null;
  /** Set when a record asked to be retried: where to come back to, and when. */
  retry: { offset: string; afterMs: number; reason: string } | null;
}

export interface StageSerdes<O extends OutputSchemas> {
  input: AvroSerde<unknown>;
  outputs: { [K in keyof O]: AvroSerde<SchemaTypes[O[K]]> };
}

const next = (offset: string) => (BigInt(offset) + 1n).toString();

/** Processes one chunk. Throws only what the caller must handle as a failed chunk (retriable or fatal). */
export async function processChunk<I extends SchemaName, O extends OutputSchemas, V>(
  stage: StageDefinition<I, O, V>,
  serdes: StageSerdes<O>,
  chunk: readonly InputRecord[],
  now: () => number = Date.now,
): Promise<ChunkResult> {
  const encode = (output: string, value: unknown) => (serdes.outputs as Record<string, AvroSerde<unknown>>)[output]!.encode(value);
  const quarantined = (rec: InputRecord, decoded: unknown, reason: QuarantineReason, more?: readonly QuarantineReason[]): OutputRecord => {
    const q = quarantineRecord({ stage: stage.name, ctx: rec.ctx, rawValue: rec.value, decoded, reason, ...(more ? { more } : {}), now: now() });
    return { output: stage.quarantine!, key: quarantineKey(q), value: encode(stage.quarantine!, q) };
  };

  // Decode; an undecodable record is quarantined (never silently skipped) or, with no quarantine output, fatal.
  const decoded: Array<{ rec: InputRecord; value: SchemaTypes[I] } | { rec: InputRecord; error: SerdeError }> = [];
  for (const rec of chunk) {
    try {
      if (rec.value === null) throw new SerdeError('not_confluent_framed', 'the record has no value (a tombstone)');
      decoded.push({ rec, value: (await serdes.input.decode(rec.value)) as SchemaTypes[I] });
    } catch (err) {
      if (!(err instanceof SerdeError) || err.retriable) throw err;
      if (!stage.quarantine) throw err;
      decoded.push({ rec, error: err });
    }
  }

  const good = decoded.filter((d): d is { rec: InputRecord; value: SchemaTypes[I] } => 'value' in d);
  const results = await stage.pipeline.run(
    good.map((d) => d.value),
    good.map((d) => d.rec.ctx),
  );
  const resultOf = new Map(good.map((d, i) => [d.rec, results[i]!]));

  const out: ChunkResult = { records: [], outcomes: [], commitOffset: null, retry: null };
  for (const d of decoded) {
    const { rec } = d;
    if ('error' in d) {
      out.records.push(quarantined(rec, undefined, { code: 'undecodable', message: `${d.error.code}: ${d.error.message}` }));
      out.outcomes.push({ offset: rec.ctx.offset, outcome: 'quarantine', reason: 'undecodable', outputs: [stage.quarantine!] });
    } else {
      const r = resultOf.get(rec)!;
      if (r.kind === 'retry') {
        out.retry = { offset: rec.ctx.offset, afterMs: r.afterMs, reason: r.reason };
        out.outcomes.push({ offset: rec.ctx.offset, outcome: 'retry', reason: r.reason, outputs: [] });
        break;
      }
      if (r.kind === 'ok') {
        const emissions = stage.emit(r.value, rec.ctx);
        for (const e of emissions) out.records.push({ output: e.output, key: e.key, value: e.value === null ? null : encode(e.output, e.value) });
        out.outcomes.push({ offset: rec.ctx.offset, outcome: 'ok', reason: '', outputs: emissions.map((e) => e.output) });
      } else if (r.kind === 'drop') {
        out.outcomes.push({ offset: rec.ctx.offset, outcome: 'drop', reason: r.reason, outputs: [] });
      } else {
        if (!stage.quarantine) throw new Error(`stage ${stage.name}: step ${r.step} quarantined a record but the stage has no quarantine output`);
        const reason = r.path === undefined ? { code: r.reason, message: r.message } : { code: r.reason, message: r.message, path: r.path };
        out.records.push(quarantined(rec, d.value, reason, r.more));
        out.outcomes.push({ offset: rec.ctx.offset, outcome: 'quarantine', reason: r.reason, outputs: [stage.quarantine] });
      }
    }
    out.commitOffset = next(rec.ctx.offset);
  }
  return out;
}
