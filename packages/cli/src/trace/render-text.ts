/** The trace for people: one aligned line per step (time, stage, what), then where the event stands. */
import { STAGES, type ScannedTopic, type Trace } from './timeline';

const STAGE_WIDTH = Math.max(...STAGES.map((s) => s.length));

function scannedLines(scanned: Record<string, ScannedTopic>): string[] {
  const width = Math.max(...Object.keys(scanned).map((n) => n.length));
  return Object.entries(scanned).map(([name, s]) => {
    if (!s.exists) return `  ${name.padEnd(width)}  topic ${s.topic} does not exist`;
    const incomplete = s.complete ? '' : `, not read to the end in ${s.incomplete.length} partition(s)`;
    const undecodable = s.undecodable === 0 ? '' : `, ${s.undecodable} undecodable`;
    return `  ${name.padEnd(width)}  ${s.records} record(s) read in ${s.partitions} partition(s), ${s.decoded} decoded, ${s.matched} matched${undecodable}${incomplete}`;
  });
}

export function renderText(trace: Trace, options: { verbose?: boolean } = {}): string {
  const lines = [`trace of message ${trace.messageId}, tenant ${trace.tenantName} (${trace.tenantId}); topics read from ${trace.since}`, ''];
  for (const s of trace.steps) lines.push(`${s.at}  ${s.stage.padEnd(STAGE_WIDTH)}  ${s.what}`);
  lines.push('', 'now:', ...trace.status.map((s) => `  ${s}`));
  if (options.verbose === true) lines.push('', 'scanned:', ...scannedLines(trace.scanned));
  return `${lines.join('\n')}\n`;
}
