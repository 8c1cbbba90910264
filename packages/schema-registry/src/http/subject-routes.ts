/** /subjects: register, look up, list, read and delete subject versions. */
import { messages, registryError } from '../errors';
import { decideDeleteSubject, decideDeleteVersion, decideRegister, findRegistered } from '../operations';
import type { SchemaStore } from '../store/store';
import { schemaIdentity } from '../state';
import { flag, parseVersion, rejectImportFields, schemaEntity, schemaFromBody, validateSubject } from './params';
import { route, type Route } from './router';

/** What the routes need from the store. */
export type RouteStore = Pick<SchemaStore, 'state' | 'read' | 'write'>;

/** The routes under /subjects. */
export function subjectRoutes(store: RouteStore): Route[] {
  /** A version of a subject, or 40401/40402 (after catching up with the log). */
  const versionOf = (subject: string, rawVersion: string, includeDeleted: boolean) => {
    const version = parseVersion(rawVersion);
    return store.read((state) => {
      const value = state.version(subject, version, includeDeleted);
      if (value) return value;
      if (!state.hasSubject(subject, includeDeleted)) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
      throw registryError('VERSION_NOT_FOUND', messages.versionNotFound(version));
    });
  };

  return [
    route('GET', '/subjects', ({ query }) => ({ json: store.state.subjectNames(flag(query, 'deleted')) })),

    route('GET', '/subjects/:subject/versions', async ({ params, query }) => {
      const subject = params.subject!;
      const deleted = flag(query, 'deleted');
      const versions = await store.read((state) => {
        const list = state.versions(subject, deleted);
        if (list.length === 0) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
        return list;
      });
      return { json: versions.map((v) => v.version) };
    }),

    route('POST', '/subjects/:subject/versions', async ({ params, body }) => {
      const subject = validateSubject(params.subject!);
      const schema = schemaFromBody(body);
      rejectImportFields(body);
      // Re-registering is the common case (every producer at start-up): answer it without a write.
      const known = findRegistered(store.state, subject, schema);
      if (known) return { json: { id: known.id } };
      return { json: await store.write((state) => decideRegister(state, subject, schema)) };
    }),

    route('GET', '/subjects/:subject/versions/:version', async ({ params, query }) => ({
      json: schemaEntity(await versionOf(params.subject!, params.version!, flag(query, 'deleted'))),
    })),

    route('GET', '/subjects/:subject/versions/:version/schema', async ({ params, query }) => ({
      raw: (await versionOf(params.subject!, params.version!, flag(query, 'deleted'))).schema,
    })),

    // Schema references are not supported, so nothing ever references a version.
    route('GET', '/subjects/:subject/versions/:version/referencedby', async ({ params }) => {
      await versionOf(params.subject!, params.version!, true);
      return { json: [] };
    }),

    route('DELETE', '/subjects/:subject/versions/:version', async ({ params, query }) => {
      const version = parseVersion(params.version!);
      return { json: await store.write((state) => decideDeleteVersion(state, params.subject!, version, flag(query, 'permanent'))) };
    }),

    route('POST', '/subjects/:subject', async ({ params, query, body }) => {
      const subject = params.subject!;
      const schema = schemaFromBody(body);
      const deleted = flag(query, 'deleted');
      const identity = schemaIdentity(undefined, schema.canonical);
      const found = await store.read((state) => {
        const value = state.findInSubject(subject, identity, deleted);
        if (value) return value;
        if (!state.hasSubject(subject, deleted)) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
        throw registryError('SCHEMA_NOT_FOUND', messages.schemaNotFound());
      });
      return { json: schemaEntity(found) };
    }),

    route('DELETE', '/subjects/:subject', async ({ params, query }) => ({
      json: await store.write((state) => decideDeleteSubject(state, params.subject!, flag(query, 'permanent'))),
    })),
  ];
}
