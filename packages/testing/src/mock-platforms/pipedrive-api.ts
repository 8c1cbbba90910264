/**
 * Mock of Pipedrive's v1 persons API (authentication by `api_token` query parameter or
 * `x-api-token` header):
 *
 *   GET  /api/v1/persons/search?term=…&fields=email&exact_match=true[&start&limit]
 *        → { success: true, data: { items: [ { result_score, item: { id, type: "person", name, emails, phones, … } } ] },
 *            additional_data: { pagination } }   (term ≥ 2 characters unless exact_match)
 *   GET  /api/v1/persons/{id}            → { success: true, data: person }
 *   POST /api/v1/persons                 → 201 { success: true, data: person }   (name required)
 *   PUT  /api/v1/persons/{id}            → { success: true, data: person }
 *   PUT  /api/v1/persons/{id}/merge      body { merge_with_id } → { success: true, data: kept person }
 *   errors: { success: false, error, errorCode, error_info, data: null, additional_data: null };
 *   401 "unauthorized access" without a valid token.
 * Source: developers.pipedrive.com/docs/api/v1/Persons and pipedrive.readme.io (responses, merging).
 * `recording.events` holds the writes (create, update, merge) with the person afterwards.
 */
import type { AnsweredFault } from './faults';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import { PIPEDRIVE_SEARCH_FIELDS, PipedrivePersonStore } from './pipedrive-persons';
import type { PipedrivePerson, PipedriveSearchField } from './pipedrive-persons';
import type { RecordedRequest } from './recording';
import { firstValues, headerValue, isFormEncoded, parseForm, parseJsonObject } from './request-body';
import type { JsonObject } from './request-body';

/** Options of MockPipedrive. */
export interface MockPipedriveOptions extends MockPlatformOptions {
  /** The only API token accepted (default `pipedrive-test-api-token`). */
  apiToken?: string;
}

/** A write the mock applied, with the person as it is afterwards. */
export interface PipedriveWrite {
  operation: 'create' | 'update' | 'merge';
  person: PipedrivePerson;
  /** For a merge: the person merged into `person` and removed. */
  mergedId?: number;
}

const PERSON_PATH = /^\/api\/v1\/persons\/(\d+)$/;
const MERGE_PATH = /^\/api\/v1\/persons\/(\d+)\/merge$/;
const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** A local Pipedrive whose persons live in memory, so upserts and merges are observable. */
export class MockPipedrive extends MockPlatform<PipedriveWrite> {
  readonly apiToken: string;
  /** The stored persons; `persons.all()`, `persons.get(id)`, or seed with `persons.create(...)`. */
  readonly persons = new PipedrivePersonStore();

  constructor(options: MockPipedriveOptions = {}) {
    super('Pipedrive mock', options);
    this.apiToken = options.apiToken ?? 'pipedrive-test-api-token';
  }

  /** Persons holding this email (case-insensitive): more than one means an upsert created a duplicate. */
  personsWithEmail(email: string): PipedrivePerson[] {
    return this.persons.all().filter((person) => person.email.some((contact) => contact.value.toLowerCase() === email.toLowerCase()));
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    const token = request.query.api_token ?? headerValue(request.headers, 'x-api-token');
    if (token !== this.apiToken) return this.fail(request, 401, 'unauthorized_access', 'unauthorized access');
    const { method, path } = request;
    if (method === 'GET' && path === '/api/v1/persons/search') return this.search(request);
    if (method === 'POST' && path === '/api/v1/persons') return this.withBody(request, (body) => this.create(request, body));
    const merge = MERGE_PATH.exec(path);
    if (method === 'PUT' && merge !== null) return this.withBody(request, (body) => this.merge(request, Number(merge[1]), body));
    const person = PERSON_PATH.exec(path);
    if (person !== null && method === 'GET') return this.read(request, Number(person[1]));
    if (person !== null && method === 'PUT') return this.withBody(request, (body) => this.update(request, Number(person[1]), body));
    return this.fail(request, 404, 'unknown_path', `Unknown method ${method} ${path}`);
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    const status = fault.kind === 'rate_limited' ? 429 : fault.status;
    return { status, body: errorBody(status, fault.kind === 'rate_limited' ? 'Request over limit' : 'Service unavailable') };
  }

  private search(request: RecordedRequest): PlatformResponse {
    const { term = '', fields, exact_match: exact, start = '0', limit = '100' } = request.query;
    const exactMatch = exact === 'true' || exact === '1';
    if (term.length < (exactMatch ? 1 : 2)) return this.fail(request, 400, 'invalid_term', `term must be at least ${exactMatch ? 1 : 2} characters long`);
    const chosen = fields === undefined ? [...PIPEDRIVE_SEARCH_FIELDS] : fields.split(',').map((field) => field.trim());
    const unknown = chosen.find((field) => !(PIPEDRIVE_SEARCH_FIELDS as readonly string[]).includes(field));
    if (unknown !== undefined) return this.fail(request, 400, 'invalid_fields', `fields: ${unknown} is not one of ${PIPEDRIVE_SEARCH_FIELDS.join(', ')}`);
    const [from, size] = [Number(start), Number(limit)];
    const found = this.persons.search(term, chosen as PipedriveSearchField[], exactMatch);
    const page = found.slice(from, from + size);
    this.recording.accept(request);
    return {
      status: 200,
      body: {
        success: true,
        data: { items: page.map((person) => ({ result_score: exactMatch ? 1 : 0.5, item: searchItem(person) })) },
        additional_data: { pagination: { start: from, limit: size, more_items_in_collection: from + size < found.length } },
      },
    };
  }

  private read(request: RecordedRequest, id: number): PlatformResponse {
    const person = this.persons.get(id);
    if (person === undefined) return this.fail(request, 404, 'person_not_found', 'Person not found');
    this.recording.accept(request);
    return { status: 200, body: { success: true, data: person } };
  }

  private create(request: RecordedRequest, body: JsonObject): PlatformResponse {
    if (typeof body.name !== 'string' || body.name.trim() === '') return this.fail(request, 400, 'missing_name', 'Name must be given.');
    return this.wrote(request, 201, { operation: 'create', person: this.persons.create(body, this.clock()) });
  }

  private update(request: RecordedRequest, id: number, body: JsonObject): PlatformResponse {
    const person = this.persons.update(id, body, this.clock());
    if (person === undefined) return this.fail(request, 404, 'person_not_found', 'Person not found');
    return this.wrote(request, 200, { operation: 'update', person });
  }

  private merge(request: RecordedRequest, id: number, body: JsonObject): PlatformResponse {
    const mergeWithId = Number(body.merge_with_id);
    if (!Number.isInteger(mergeWithId) || mergeWithId <= 0) return this.fail(request, 400, 'missing_merge_with_id', 'merge_with_id must be given.');
    if (mergeWithId === id) return this.fail(request, 400, 'merge_with_itself', 'A person cannot be merged with itself.');
    const person = this.persons.merge(id, mergeWithId, this.clock());
    if (person === undefined) return this.fail(request, 404, 'person_not_found', 'Person not found');
    return this.wrote(request, 200, { operation: 'merge', person, mergedId: id });
  }

  private wrote(request: RecordedRequest, status: number, write: PipedriveWrite): PlatformResponse {
    this.recording.accept(request);
    this.recording.keep({ ...write, person: structuredClone(write.person) });
    return { status, body: { success: true, data: write.person } };
  }

  /** Pipedrive takes JSON or form bodies; malformed JSON is its 400. */
  private withBody(request: RecordedRequest, use: (body: JsonObject) => PlatformResponse): PlatformResponse {
    if (isFormEncoded(request.headers)) return use(firstValues(parseForm(request.body)));
    const parsed = parseJsonObject(request.body);
    return parsed.ok ? use(parsed.value) : this.fail(request, 400, 'malformed_body', parsed.problem);
  }

  private fail(request: RecordedRequest, status: number, reason: string, error: string): PlatformResponse {
    return this.refuse(request, { status, body: errorBody(status, error) }, reason, error);
  }
}

function errorBody(status: number, error: string): Record<string, unknown> {
  return { success: false, error, errorCode: status, error_info: ERROR_INFO, data: null, additional_data: null };
}

/** The shape persons/search gives each hit (lists of values, not contact objects). */
function searchItem(person: PipedrivePerson): Record<string, unknown> {
  return {
    id: person.id,
    type: 'person',
    name: person.name,
    phones: person.phone.map((contact) => contact.value),
    emails: person.email.map((contact) => contact.value),
    visible_to: 3,
    owner: { id: 1 },
    organization: null,
    custom_fields: [],
    notes: [],
    update_time: person.update_time,
  };
}
