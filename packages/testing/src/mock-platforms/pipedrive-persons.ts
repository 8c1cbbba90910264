/**
 * The persons the Pipedrive mock keeps, with Pipedrive's v1 semantics: emails and phones are lists
 * of { value, primary, label }; creating a person whose email already exists makes a second person
 * (Pipedrive does not deduplicate, which is why integrations search first); merging keeps
 * `merge_with_id`, fills its empty fields from the other person, combines their emails and phones,
 * and removes the other (pipedrive.readme.io/docs/merging-two-persons).
 */
import type { JsonObject } from './request-body';

/** One email address or phone number of a person. */
export interface PipedriveContact {
  value: string;
  primary: boolean;
  label: string;
}

/** A person as Pipedrive's v1 API returns it (custom fields are extra keys, as in Pipedrive). */
export interface PipedrivePerson {
  id: number;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: PipedriveContact[];
  phone: PipedriveContact[];
  add_time: string;
  update_time: string;
  active_flag: boolean;
  [customField: string]: unknown;
}

/** The fields persons/search can look in. */
export const PIPEDRIVE_SEARCH_FIELDS = ['name', 'email', 'phone', 'notes', 'custom_fields'] as const;
/** One of PIPEDRIVE_SEARCH_FIELDS. */
export type PipedriveSearchField = (typeof PIPEDRIVE_SEARCH_FIELDS)[number];

const MANAGED_KEYS = new Set(['id', 'email', 'phone', 'add_time', 'update_time', 'active_flag']);
/** Keys that would reach the prototype through Object.assign; a body may carry them, a person never does. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The in-memory person table. */
export class PipedrivePersonStore {
  private readonly persons = new Map<number, PipedrivePerson>();
  private lastId = 0;

  /** Every person, by id. */
  all(): PipedrivePerson[] {
    return [...this.persons.values()];
  }

  /** The person with this id, if it exists (merged-away persons do not). */
  get(id: number): PipedrivePerson | undefined {
    return this.persons.get(id);
  }

  /** Adds a person from a POST /persons body (name is required; the caller checked it). */
  create(input: JsonObject, now: number): PipedrivePerson {
    const stamp = pipedriveTime(now);
    const person: PipedrivePerson = {
      ...customFields(input),
      id: ++this.lastId,
      name: String(input.name),
      first_name: null,
      last_name: null,
      email: contacts(input.email),
      phone: contacts(input.phone),
      add_time: stamp,
      update_time: stamp,
      active_flag: true,
    };
    splitName(person);
    this.persons.set(person.id, person);
    return person;
  }

  /** Applies a PUT /persons/{id} body: given fields replace the stored ones. */
  update(id: number, input: JsonObject, now: number): PipedrivePerson | undefined {
    const person = this.persons.get(id);
    if (person === undefined) return undefined;
    Object.assign(person, customFields(input));
    if (typeof input.name === 'string') {
      person.name = input.name;
      splitName(person);
    }
    if (input.email !== undefined) person.email = contacts(input.email);
    if (input.phone !== undefined) person.phone = contacts(input.phone);
    person.update_time = pipedriveTime(now);
    return person;
  }

  /** Merges person `id` into `mergeWithId` (which survives and wins conflicts); undefined if either is unknown. */
  merge(id: number, mergeWithId: number, now: number): PipedrivePerson | undefined {
    const merged = this.persons.get(id);
    const kept = this.persons.get(mergeWithId);
    if (merged === undefined || kept === undefined) return undefined;
    for (const [key, value] of Object.entries(merged)) {
      if (!MANAGED_KEYS.has(key) && (kept[key] === undefined || kept[key] === null || kept[key] === '')) kept[key] = value;
    }
    kept.email = combined(kept.email, merged.email);
    kept.phone = combined(kept.phone, merged.phone);
    kept.update_time = pipedriveTime(now);
    this.persons.delete(id);
    return kept;
  }

  /** Persons whose chosen fields contain `term` (or equal it, with exactMatch), case-insensitively. */
  search(term: string, fields: readonly PipedriveSearchField[], exactMatch: boolean): PipedrivePerson[] {
    const wanted = term.toLowerCase();
    const matches = (value: unknown): boolean => {
      const text = String(value).toLowerCase();
      return exactMatch ? text === wanted : text.includes(wanted);
    };
    return this.all().filter((person) =>
      fields.some((field) => {
        if (field === 'name') return matches(person.name);
        if (field === 'email') return person.email.some((contact) => matches(contact.value));
        if (field === 'phone') return person.phone.some((contact) => matches(contact.value));
        if (field === 'custom_fields') return Object.entries(customFields(person)).some(([, value]) => value !== null && matches(value));
        return false; // notes are not modelled
      }),
    );
  }
}

/** Pipedrive's timestamps: "YYYY-MM-DD HH:MM:SS" in UTC. */
function pipedriveTime(millis: number): string {
  return new Date(millis).toISOString().slice(0, 19).replace('T', ' ');
}

/** Pipedrive takes a string, a list of strings, or a list of { value, primary?, label? }. */
function contacts(input: unknown): PipedriveContact[] {
  const list: unknown[] = input === undefined || input === null ? [] : Array.isArray(input) ? input : [input];
  const parsed = list.flatMap((entry): PipedriveContact[] => {
    if (typeof entry === 'string') return entry === '' ? [] : [{ value: entry, primary: false, label: '' }];
    if (typeof entry === 'object' && entry !== null && typeof (entry as { value?: unknown }).value === 'string') {
      const { value, primary, label } = entry as { value: string; primary?: unknown; label?: unknown };
      return [{ value, primary: primary === true, label: typeof label === 'string' ? label : '' }];
    }
    return [];
  });
  if (parsed.length > 0 && !parsed.some((contact) => contact.primary)) parsed[0] = { ...parsed[0]!, primary: true };
  return parsed;
}

function combined(kept: PipedriveContact[], other: PipedriveContact[]): PipedriveContact[] {
  const values = new Set(kept.map((contact) => contact.value.toLowerCase()));
  return [...kept, ...other.filter((contact) => !values.has(contact.value.toLowerCase())).map((contact) => ({ ...contact, primary: false }))];
}

/** The input fields the store keeps as given: everything but what it manages itself and the name. */
function customFields(input: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(input).filter(([key]) => !MANAGED_KEYS.has(key) && !UNSAFE_KEYS.has(key) && key !== 'name' && key !== 'first_name' && key !== 'last_name'),
  );
}

function splitName(person: PipedrivePerson): void {
  const [first, ...rest] = person.name.trim().split(/\s+/);
  person.first_name = first === undefined || first === '' ? null : first;
  person.last_name = rest.length === 0 ? null : rest.join(' ');
}
