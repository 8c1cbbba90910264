/**
 * Renders the catalogue (and the latest value schemas) as docs/pipeline.md. Pure: the same
 * catalogue and schemas give the same bytes, so a test can compare the committed file.
 */
import { keySubject, valueSubject } from '../catalogue';
import { formatDuration } from '../duration';
import { SERVICES, KEY_ENCODING, type Party, type TopicSpec } from '../topic-spec';
import { DIAGRAM_NOTES, PIPELINE_DIAGRAM } from './diagram';
import type { SchemaSummary } from './value-schemas';

/** The command that regenerates the file; named in the banner and in the staleness test. */
export const GENERATE_COMMAND = 'pnpm --filter @stratum/topics generate';

/** Markdown for a table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (s: string) => `\`${s}\``;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

const topicLink = (name: string) => `[${name}](#${anchor(name)})`;

const party = (p: Party) => ((SERVICES as readonly string[]).includes(p) ? p : p.startsWith('stratum ') ? code(p) : p);
const parties = (ps: readonly Party[]) => ps.map(party).join(', ');

const keyPatterns = (t: TopicSpec) => t.key.forms.map((f) => code(f.pattern)).join(', else ');

function retention(t: TopicSpec): string {
  const extra = Object.entries(t.configs).map(([k, v]) => (k.endsWith('.ms') && /^-?\d+$/.test(v) ? `${k} ${formatDuration(Number(v))}` : `${k}=${v}`));
  return [`${t.cleanupPolicy}, ${formatDuration(t.retentionMs)}`, ...extra].join('; ');
}

function siblings(t: TopicSpec, catalogue: readonly TopicSpec[], link: (n: string) => string): string {
  const parts: string[] = [];
  if (t.retryTiers.length) parts.push(`retry: ${t.retryTiers.map((r) => `${link(r.topic)} (${formatDuration(r.delayMs)})`).join(', ')}`);
  if (t.retryTierOf) {
    const tiers = catalogue.find((o) => o.name === t.retryTierOf)?.retryTiers ?? [];
    const i = tiers.findIndex((r) => r.topic === t.name);
    const next = tiers[i + 1];
    parts.push(`retry tier ${i + 1} of ${tiers.length} of ${link(t.retryTierOf)}${next ? `; next: ${link(next.topic)}` : ''}`);
  }
  if (t.deadLetter) parts.push(`dead letter: ${link(t.deadLetter)}`);
  return parts.join('; ') || '—';
}

function topicTable(catalogue: readonly TopicSpec[]): string[] {
  const rows = catalogue.map((t) =>
    [
      topicLink(t.name),
      String(t.partitions),
      keyPatterns(t),
      retention(t),
      siblings(t, catalogue, (n) => n),
      `${parties(t.producedBy)} → ${parties(t.consumedBy)}`,
    ]
      .map(cell)
      .join(' | '),
  );
  return ['| topic | partitions | key | cleanup, retention | siblings | produced by → consumed by |', '|---|---:|---|---|---|---|', ...rows.map((r) => `| ${r} |`)];
}

function schemaSection(t: TopicSpec, schema: SchemaSummary, shownFor: string | undefined): string[] {
  const head = `**Value**: subject ${code(valueSubject(t))}, schema ${code(schema.file)} (v${schema.version}, the latest), record ${code(schema.recordName)}`;
  if (shownFor) return [`${head}; fields as for ${topicLink(shownFor)}.`];
  const lines = [`${head}.`];
  if (schema.doc) lines.push('', `> ${cell(schema.doc)}`);
  lines.push('', '| field | type | doc |', '|---|---|---|');
  for (const f of schema.fields) lines.push(`| ${code(f.name)} | ${code(cell(f.type))} | ${cell(f.doc ?? '')} |`);
  return lines;
}

function topicSection(t: TopicSpec, catalogue: readonly TopicSpec[], schema: SchemaSummary, shownFor: string | undefined): string[] {
  const deadLetterOf = catalogue.filter((o) => o.deadLetter === t.name && o.retryTierOf === null).map((o) => topicLink(o.name));
  const lines = [`### ${t.name}`, '', t.purpose, ''];
  lines.push(`- **Produced by** ${parties(t.producedBy)} → **consumed by** ${parties(t.consumedBy)}`);
  const forms = t.key.forms;
  if (forms.length === 1 && forms[0]) lines.push(`- **Key** ${code(forms[0].pattern)}${forms[0].when ? ` (${forms[0].when})` : ''}: ${t.key.why}`);
  else {
    lines.push(`- **Key**, the first that applies: ${t.key.why}`);
    for (const f of forms) lines.push(`  - ${code(f.pattern)}${f.when ? ` — ${f.when}` : ''}`);
  }
  if (t.tombstones) lines.push(`- **Tombstone** (null value): ${t.tombstones}`);
  lines.push(`- **Partitions** ${t.partitions}; **cleanup** ${retention(t)}${t.retentionWhy ? `. ${t.retentionWhy}` : ''}`);
  const sib = siblings(t, catalogue, topicLink);
  if (sib !== '—') lines.push(`- **Siblings**: ${sib}`);
  if (deadLetterOf.length) lines.push(`- **Dead letter of** ${deadLetterOf.join(', ')}`);
  lines.push('', ...schemaSection(t, schema, shownFor), '');
  return lines;
}

/** docs/pipeline.md for a catalogue, given the latest schema of each of its value-schema folders. */
export function renderPipelineDoc(catalogue: readonly TopicSpec[], schemas: ReadonlyMap<string, SchemaSummary>): string {
  const out: string[] = [
    `<!-- Generated by packages/topics from src/catalogue.ts and schemas/*/v<N>.avsc. Do not edit: run \`${GENERATE_COMMAND}\`. -->`,
    '',
    '# The pipeline: topics',
    '',
    `> **Generated — do not edit.** The source is \`packages/topics/src/catalogue.ts\` (and the value schemas under \`schemas/\`); ` +
      `run \`${GENERATE_COMMAND}\` after changing either. A test fails when this file is stale.`,
    '',
    'Stratum\'s services talk only through these Kafka topics. `pnpm stratum topics apply --brokers host:port` creates them ' +
      '(or checks them, with `--check`) on the embedded broker or on Apache Kafka.',
    '',
    '```',
    PIPELINE_DIAGRAM,
    '```',
    '',
    ...DIAGRAM_NOTES.map((n) => `- ${n}`),
    '',
    '## Topics',
    '',
    ...topicTable(catalogue),
    '',
    '## Keys and subjects',
    '',
    `- Every key is a ${KEY_ENCODING.serializer}, its parts joined with \`${KEY_ENCODING.separator}\`; partitions are chosen by ${KEY_ENCODING.partitioner}.`,
    `- ${KEY_ENCODING.librdkafka}`,
    `- Values are Avro in the Confluent wire format, registered under \`<topic>-value\` (TopicNameStrategy): retry tiers share ` +
      `delivery.attempts' schema under subjects of their own. Keys are not registered (\`<topic>-key\`, e.g. ${code(keySubject(catalogue[0]!))}, stays empty).`,
    '',
    '## Each topic',
    '',
  ];
  const firstWithSchema = new Map<string, string>();
  for (const t of catalogue) {
    const schema = schemas.get(t.valueSchema);
    if (!schema) throw new Error(`no schema summary for ${t.valueSchema} (read them with readValueSchemas)`);
    out.push(...topicSection(t, catalogue, schema, firstWithSchema.get(t.valueSchema)));
    if (!firstWithSchema.has(t.valueSchema)) firstWithSchema.set(t.valueSchema, t.name);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
