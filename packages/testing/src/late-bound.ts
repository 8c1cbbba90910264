/** The object a `useX()` helper returns at describe time and fills in its beforeAll. */
import { HarnessError } from './errors';

/** A stand-in for a value that exists only once a hook has run, and its setter. */
export interface LateBound<T extends object> {
  /** Reads through to the value; reading a field before `set` throws a clear error. */
  readonly value: T;
  set(value: T): void;
  /** The value, or undefined before `set` (for the afterAll that tears it down). */
  current(): T | undefined;
}

/**
 * A proxy that forwards to the value once set. Before that, reading a field throws, so
 * `const { kafka } = useTestStack()` at describe time fails loudly instead of yielding undefined.
 */
export function lateBound<T extends object>(what: string): LateBound<T> {
  let actual: T | undefined;
  const value = new Proxy({} as T, {
    get(_target, prop) {
      if (actual !== undefined) return Reflect.get(actual, prop) as unknown;
      // Promise resolution and jest's printing probe these; answering undefined keeps them working.
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON' || prop === 'asymmetricMatch' || prop === 'nodeType') return undefined;
      throw new HarnessError('misuse', `${what} is not started yet: read its fields inside a test or hook (its beforeAll starts it), not at describe time`);
    },
    has: (_target, prop) => actual !== undefined && Reflect.has(actual, prop),
    ownKeys: () => (actual === undefined ? [] : Reflect.ownKeys(actual)),
    getOwnPropertyDescriptor: (_target, prop) => (actual === undefined ? undefined : Object.getOwnPropertyDescriptor(actual, prop)),
  });
  return {
    value,
    set: (v) => {
      actual = v;
    },
    current: () => actual,
  };
}
