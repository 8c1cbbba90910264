/**
 * Which files of the repository reach the Docker build context, by .dockerignore's rules (as
 * moby's patternmatcher applies them): patterns are matched against the path and each of its
 * parent folders, `*` and `?` stay inside one path segment, `**` spans any number of them, `!`
 * re-includes, and the last pattern that matches decides.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  readonly negated: boolean;
  readonly regex: RegExp;
}

function toRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The rules of a .dockerignore text, cleaned as Docker cleans them (no leading ./ or /, no trailing /). */
export function parseDockerignore(text: string): Rule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).trim().replace(/^\.?\//, '').replace(/\/+$/, '');
      return { negated, regex: toRegex(pattern) };
    });
}

/** Whether `path` (relative, with /) is left out of the build context. */
export function isIgnored(rules: readonly Rule[], path: string): boolean {
  const segments = path.split('/');
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.regex.test(c))) ignored = !rule.negated;
  }
  return ignored;
}

export function readDockerignore(root: string): Rule[] {
  return parseDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
}
