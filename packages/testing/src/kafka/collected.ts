/** What collectRecords returns, and how it shows what arrived when a wait fails. */
import type { KafkaMessage } from 'kafkajs';

/** One consumed record, its value decoded. */
export interface CollectedRecord<V> {
  /** The key as UTF-8 text (Stratum keys are strings), or null. */
  key: string | null;
  /** The decoded value, or null for a tombstone. */
  value: V | null;
  partition: number;
  /** Kafka offsets are int64: kept as the decimal string kafkajs gives. */
  offset: string;
  /** Header values as UTF-8 text; a header name sent more than once maps to every value. */
  headers: Record<string, string | string[]>;
  /** The record's timestamp, epoch ms as a decimal string. */
  timestamp: string;
}

/** kafkajs headers (Buffers, strings, arrays of them) as text. */
export function headersAsText(headers: KafkaMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map((v) => v.toString()) : value.toString();
  }
  return out;
}

const MAX_SHOWN = 20;
const MAX_VALUE_CHARS = 300;

/** One line per record (the first 20), values as JSON cut at 300 characters: for failure messages. */
export function describeRecords(records: readonly CollectedRecord<unknown>[]): string {
  if (records.length === 0) return 'nothing arrived';
  const lines = records.slice(0, MAX_SHOWN).map((r) => {
    const json = JSON.stringify(r.value) ?? 'undefined';
    const value = json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS)}…` : json;
    return `  partition ${r.partition} offset ${r.offset} key ${JSON.stringify(r.key)}: ${value}`;
  });
  if (records.length > MAX_SHOWN) lines.push(`  … and ${records.length - MAX_SHOWN} more`);
  return `${records.length} arrived:\n${lines.join('\n')}`;
}
