/**
 * Whether a parsed JSON value can be stored in a jsonb column as it is. PostgreSQL refuses
 * `\u0000` and unpaired UTF-16 surrogates in jsonb text (a failed insert would be a 500), and a
 * 64 KiB body can nest tens of thousands of levels deep: the walk is iterative and bounded, so
 * an adversarial body costs a 400, never a stack overflow.
 */

/** What is wrong with `value` for jsonb, or null when it can be stored. */
export function jsonbProblem(value: unknown, maxDepth: number): string | null {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
    const next: unknown[] = [];
    for (const item of level) {
      if (typeof item === 'string') {
        if (!storableText(item)) return UNSTORABLE;
      } else if (typeof item === 'object' && item !== null) {
        for (const [key, child] of Object.entries(item)) {
          if (!storableText(key)) return UNSTORABLE;
          next.push(child);
        }
      }
    }
    level = next;
  }
  return null;
}

const UNSTORABLE = 'contains a NUL character or an unpaired UTF-16 surrogate, which PostgreSQL cannot store';
const LONE_SURROGATE = /\p{Surrogate}/u;

function storableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}
