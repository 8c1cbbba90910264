/**
 * Pipedrive destination: keeps a CRM person per Stratum profile, upserted by email, merged when
 * Stratum merges profiles. A sequence adapter: see pipedrive-flow.ts for the requests.
 */
import { ConfigReader } from '../config-reader';
import { preparedOrSkip } from '../prepared-event';
import type { SequenceAdapter } from '../types';
import { nextPipedriveStep, startPipedriveFlow, type PipedriveFlowConfig, type PipedriveState } from './pipedrive-flow';
import { pipedrivePerson, type PipedrivePerson } from './pipedrive-person';

export type PipedriveConfig = PipedriveFlowConfig;

function readConfig(input: unknown): PipedriveConfig {
  const r = new ConfigReader('pipedrive', input);
  const companyDomain = r.optionalString('settings', 'companyDomain', { pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, hint: 'the company subdomain (acme for acme.pipedrive.com)' });
  const explicitBase = r.raw('settings', 'baseUrl') === undefined ? null : r.url('settings', 'baseUrl', null);
  if (companyDomain === null && explicitBase === null) r.problem('settings.companyDomain', 'required (or settings.baseUrl)');
  return r.done({
    baseUrl: explicitBase ?? `https://${companyDomain ?? ''}.pipedrive.com`,
    apiToken: r.requiredString('credentials', 'apiToken', { pattern: /^\S{8,200}$/, hint: 'a Pipedrive API token' }),
    profileIdField: r.optionalString('settings', 'profileIdField', { pattern: /^[0-9a-f]{40}$/, hint: 'a person custom field key (40 hex characters)' }),
  });
}

export const pipedriveAdapter: SequenceAdapter<PipedriveConfig, PipedrivePerson, PipedriveState> = {
  type: 'pipedrive',
  kind: 'sequence',
  maxBatch: 1,

  parseConfig: readConfig,

  prepare(event, _config, ctx) {
    return preparedOrSkip(event, ctx, pipedrivePerson(event));
  },

  start(prepared, config) {
    return startPipedriveFlow(prepared, config);
  },

  next(state, result, config, ctx) {
    return nextPipedriveStep(state, result, config, ctx);
  },
};
