// ListSecrets / BatchGetSecretValue filters with the documented semantics: `name`, `tag-key`,
// `tag-value`, `primary-region` and `owning-service` are case-sensitive prefix matches,
// `description` and `all` are not case-sensitive, a leading `!` negates a value. Values of one
// filter are alternatives; all filters must match.
import { AwsError } from './errors.js';
import type { StoredSecret } from './store.js';

export interface Filter {
  Key: string;
  Values: string[];
}

/** The model's FilterValueStringType pattern. */
const VALUE = /^!?[a-zA-Z0-9 :_@/+=.-]*$/;
const KEYS = new Set(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']);

export function checkFilters(filters: unknown): Filter[] {
  if (filters === undefined) return [];
  if (!Array.isArray(filters)) throw new AwsError('ValidationException', "1 validation error detected: Value at 'filters' failed to satisfy constraint: Member must be a list");
  if (filters.length > 10) throw new AwsError('InvalidParameterException', 'You can specify at most 10 filters.');
  return filters.map((f: { Key?: unknown; Values?: unknown }) => {
    if (typeof f?.Key !== 'string' || !KEYS.has(f.Key)) {
      throw new AwsError('ValidationException',
        `1 validation error detected: Value '${String(f?.Key)}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, owning-service, primary-region, description, tag-key, name, tag-value]`);
    }
    if (!Array.isArray(f.Values) || f.Values.length === 0 || f.Values.length > 10 || f.Values.some((v) => typeof v !== 'string')) {
      throw new AwsError('InvalidParameterException', 'Invalid filter values: each filter needs 1 to 10 string values.');
    }
    const bad = (f.Values as string[]).find((v) => v.length > 512 || !VALUE.test(v));
    if (bad !== undefined) {
      throw new AwsError('ValidationException',
        `1 validation error detected: Value '${bad}' at 'filters.1.member.values' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-]*$`);
    }
    return { Key: f.Key, Values: f.Values as string[] };
  });
}

function attributes(s: StoredSecret, key: string): string[] {
  switch (key) {
    case 'name': return [s.name];
    case 'description': return s.description === undefined ? [] : [s.description];
    case 'tag-key': return s.tags.map((t) => t.Key);
    case 'tag-value': return s.tags.map((t) => t.Value);
    case 'primary-region': return s.primaryRegion === undefined ? [] : [s.primaryRegion];
    case 'owning-service': return [];
    default: return [s.name, s.description ?? '', ...s.tags.flatMap((t) => [t.Key, t.Value]), s.primaryRegion ?? ''];
  }
}

function valueMatches(s: StoredSecret, key: string, value: string): boolean {
  if (key === 'all') {
    const words = attributes(s, key).flatMap((a) => a.toLowerCase().split(/[\s/_.+=@:-]+/).concat(a.toLowerCase()));
    return value.toLowerCase().split(/\s+/).filter(Boolean).every((w) => words.some((a) => a.startsWith(w)));
  }
  const fold = key === 'description';
  const v = fold ? value.toLowerCase() : value;
  return attributes(s, key).some((a) => (fold ? a.toLowerCase() : a).startsWith(v));
}

export function matchesFilters(s: StoredSecret, filters: Filter[]): boolean {
  return filters.every((f) => {
    const positive = f.Values.filter((v) => !v.startsWith('!'));
    const negative = f.Values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
    if (negative.some((v) => valueMatches(s, f.Key, v))) return false;
    return positive.length === 0 || positive.some((v) => valueMatches(s, f.Key, v));
  });
}
