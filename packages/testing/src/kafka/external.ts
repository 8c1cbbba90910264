/** `external` mode: a Kafka and a schema registry that already run (`KAFKA_BROKERS`, `SCHEMA_REGISTRY_URL`). */
import { externalKafkaFrom, type Env } from '../env';
import { HarnessError, messageOf, rootOf } from '../errors';
import type { StackEndpoints } from './endpoints';

/** Reads the endpoints from `env` and checks the registry answers; nothing to stop afterwards. */
export async function useExternalKafka(env: Env): Promise<StackEndpoints> {
  const { brokers, registryUrl } = externalKafkaFrom(env);
  await probeRegistry(registryUrl, 'SCHEMA_REGISTRY_URL');
  return { brokers, registryUrl, close: async () => {} };
}

/** GET /subjects must answer 200: a registry that is down fails here, not in the middle of a test. */
export async function probeRegistry(registryUrl: string, source: string): Promise<void> {
  let status: number;
  try {
    const res = await fetch(`${registryUrl}/subjects`, { signal: AbortSignal.timeout(5_000) });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    throw new HarnessError('unreachable', `cannot reach the schema registry at ${registryUrl} (${source}): ${messageOf(rootOf(err))}`, { cause: err });
  }
  if (status !== 200) throw new HarnessError('unreachable', `the schema registry at ${registryUrl} (${source}) answered GET /subjects with HTTP ${status}`);
}
