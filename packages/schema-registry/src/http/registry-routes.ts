/** /schemas, /config, /compatibility, /mode and /: everything outside /subjects. */
import type { ParsedSchema } from '../avro';
import { messages, RegistryError, registryError } from '../errors';
import { compatibilityReasons, decideDeleteConfig, decideSetConfig } from '../operations';
import { flag, levelFromBody, parseId, parseVersion, schemaFromBody, validateSubject } from './params';
import { route, type Route } from './router';
import type { RouteStore } from './subject-routes';

/** The routes outside /subjects. */
export function registryRoutes(store: RouteStore): Route[] {
  const schemaById = (rawId: string) => {
    const id = parseId(rawId);
    return store.read((state) => {
      const found = state.schemaById(id);
      if (!found) throw registryError('SCHEMA_NOT_FOUND', messages.schemaNotFound(id));
      return { id, ...found };
    });
  };
  const holders = async (rawId: string, includeDeleted: boolean) => {
    const { id } = await schemaById(rawId);
    return store.state.holdersOf(id, includeDeleted);
  };

  return [
    route('GET', '/', () => ({ json: {} })),
    route('GET', '/schemas/types', () => ({ json: ['AVRO'] })),

    route('GET', '/schemas/ids/:id', async ({ params }) => {
      const { schema, schemaType } = await schemaById(params.id!);
      return { json: schemaType ? { schemaType, schema } : { schema } };
    }),
    route('GET', '/schemas/ids/:id/schema', async ({ params }) => ({ raw: (await schemaById(params.id!)).schema })),
    route('GET', '/schemas/ids/:id/versions', async ({ params, query }) => ({
      json: (await holders(params.id!, flag(query, 'deleted'))).map(({ subject, version }) => ({ subject, version })),
    })),
    route('GET', '/schemas/ids/:id/subjects', async ({ params, query }) => ({
      json: [...new Set((await holders(params.id!, flag(query, 'deleted'))).map((v) => v.subject))],
    })),

    route('GET', '/config', () => ({ json: { compatibilityLevel: store.state.globalCompatibility() } })),
    route('PUT', '/config', async ({ body }) => {
      const level = levelFromBody(body);
      return { json: await store.write((state) => decideSetConfig(state, null, level)) };
    }),
    route('DELETE', '/config', async () => ({ json: await store.write((state) => decideDeleteConfig(state, null)) })),

    route('GET', '/config/:subject', async ({ params, query }) => {
      const subject = params.subject!;
      const fallback = flag(query, 'defaultToGlobal');
      const level = await store.read((state) => {
        const own = state.subjectLevel(subject) ?? (fallback ? state.globalCompatibility() : undefined);
        if (!own) throw registryError('SUBJECT_CONFIG_NOT_FOUND', messages.noSubjectConfig(subject));
        return own;
      });
      return { json: { compatibilityLevel: level } };
    }),
    route('PUT', '/config/:subject', async ({ params, body }) => {
      const subject = validateSubject(params.subject!);
      const level = levelFromBody(body);
      return { json: await store.write((state) => decideSetConfig(state, subject, level)) };
    }),
    route('DELETE', '/config/:subject', async ({ params }) => ({ json: await store.write((state) => decideDeleteConfig(state, params.subject!)) })),

    route('POST', '/compatibility/subjects/:subject/versions/:version', async ({ params, query, body }) => {
      const subject = params.subject!;
      const version = parseVersion(params.version!);
      return compatibilityReply(query, body, (schema) =>
        store.read((state) => {
          const target = state.version(subject, version);
          // "latest" of a subject with no versions: nothing to be incompatible with (Confluent).
          if (!target && version !== -1) throw registryError('VERSION_NOT_FOUND', messages.versionNotFound(version));
          return target ? compatibilityReasons(state, subject, schema, target) : [];
        }),
      );
    }),
    route('POST', '/compatibility/subjects/:subject/versions', async ({ params, query, body }) =>
      compatibilityReply(query, body, async (schema) => compatibilityReasons(store.state, params.subject!, schema)),
    ),

    route('GET', '/mode', () => ({ json: { mode: 'READWRITE' } })),
  ];
}

/** `{"is_compatible": bool}`, with `messages` under ?verbose=true (where an invalid schema is a message too). */
async function compatibilityReply(query: URLSearchParams, body: unknown, check: (schema: ParsedSchema) => Promise<string[]>): Promise<{ json: unknown }> {
  const verbose = flag(query, 'verbose');
  let reasons: string[];
  try {
    reasons = await check(schemaFromBody(body));
  } catch (err) {
    if (!verbose || !(err instanceof RegistryError) || err.kind !== 'INVALID_SCHEMA') throw err;
    reasons = [err.message];
  }
  return { json: verbose ? { is_compatible: reasons.length === 0, messages: reasons } : { is_compatible: reasons.length === 0 } };
}
