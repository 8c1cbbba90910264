/** The broker's logging port: structured, one JSON line per event. The host passes its own (pino) or none. */
export interface BrokerLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** A JSON-lines logger on stderr that drops events below `level`. */
export function jsonLogger(level: Level = 'info', bindings: Record<string, unknown> = { component: 'broker' }): BrokerLogger {
  const emit = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    process.stderr.write(`${JSON.stringify({ level: lvl, time: new Date().toISOString(), ...bindings, msg, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Discards everything (tests). */
export const silentLogger: BrokerLogger = jsonLogger('silent');
