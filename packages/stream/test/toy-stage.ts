/**
 * The toy stage the runtime's integration tests run as a real process (not shipped). It passes
 * events.raw records from TOY_INPUT to TOY_OUTPUT keyed by messageId; quarantines events named
 * "quarantine-me" to TOY_INVALID; sleeps TOY_DELAY_MS per record (to widen the windows the crash
 * tests kill it in); TOY_EXACTLY_ONCE=true runs it with transactional delivery; with TOY_CRASH=true it throws a TypeError on events named "crash-me"; and, when TOY_DEPENDENCY_URL is set, calls that URL once per chunk, as a
 * stage calls PostgreSQL: a refused connection or a 503 is a retriable failure.
 */
import { booleanFlag, defineConfig, integer, identifier, loadConfig, processEnv, url, ConfigError } from '@stratum/config';
import { defineErrorCodes } from '@stratum/errors';
import type { RawEvent } from '@stratum/schemas';
import { batchStep, defineStage, ok, pipeline, quarantine, recordStep, runStageProcess, stageProcessFragment } from '../src';

const errors = defineErrorCodes({ dependency_unavailable: { retriable: true, description: 'the toy dependency answered 5xx' } });

const definition = defineConfig({
  ...stageProcessFragment,
  TOY_INPUT: identifier('input topic'),
  TOY_OUTPUT: identifier('output topic'),
  TOY_INVALID: identifier('quarantine topic'),
  TOY_DELAY_MS: integer({ min: 0 }).default(0),
  TOY_DEPENDENCY_URL: url({ protocols: ['http'] }).optional(),
  TOY_CRASH: booleanFlag().default(false),
  TOY_EXACTLY_ONCE: booleanFlag().default(false),
});

let config;
try {
  config = loadConfig(definition, processEnv());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78); // EX_CONFIG
}
const { TOY_DELAY_MS: delayMs, TOY_DEPENDENCY_URL: dependency, TOY_CRASH: crash } = config;

const toy = defineStage({
  name: 'toy',
  delivery: config.TOY_EXACTLY_ONCE ? 'exactly-once' : 'at-least-once',
  input: 'events.raw',
  outputs: { out: 'events.raw', invalid: 'events.invalid' },
  quarantine: 'invalid',
  pipeline: pipeline<RawEvent>()
    .then(
      batchStep('call-dependency', async (events: readonly RawEvent[]) => {
        if (dependency) {
          const res = await fetch(dependency);
          if (res.status >= 500) throw errors.error('dependency_unavailable', `dependency answered ${res.status}`);
        }
        return events.map((e) => ok(e));
      }),
    )
    .then(
      recordStep('check', async (e: RawEvent) => {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        // A bug, not bad data: an unknown error the runtime must crash on, committing nothing of this chunk.
        if (crash && e.event === 'crash-me') throw new TypeError('toy bug: cannot read properties of undefined');
        return e.event === 'quarantine-me' ? quarantine('toy_refused', 'events named quarantine-me are refused', 'event') : ok(e);
      }),
    ),
  emit: (e) => [{ output: 'out', key: e.messageId, value: e }],
});

await runStageProcess(toy, config, { topics: { input: config.TOY_INPUT, outputs: { out: config.TOY_OUTPUT, invalid: config.TOY_INVALID } } });
process.stdout.write('toy stage running\n');
