/**
 * Turns Ajv's errors on a scenario into messages a person can act on: each names the field, says
 * what to write instead, and suggests the closest name for a misspelt key or value.
 */
import type { ErrorObject } from 'ajv';

export type IssuePath = readonly (string | number)[];

export interface Issue {
  /** Where in the scenario (keys and list indexes). */
  path: IssuePath;
  message: string;
  /** The problem is the key at `path` itself (an unknown field), not its value. */
  key?: boolean;
}

/** What to write, for the fields whose rule is not obvious from their type. */
const EXAMPLES: Record<string, string> = {
  name: 'lower-case letters, digits and dashes, such as name: my-scenario',
  description: 'one line, such as description: The first send fails.',
  'match.phone': "a number or a list of them, such as phone: '2015550188'",
  'otp.pin': "1 to 12 digits, such as pin: '123456'",
  'number.country': 'two capital letters, such as country: GB',
};

/** Edit distance, for "did you mean": short words, so the plain dynamic programme is enough. */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate, when it is close enough to be a slip rather than another word. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const fieldName = (path: IssuePath) => (path.length === 0 ? 'the scenario' : path.join('.'));
/** The example's key: list positions dropped, so `match.phone.1` finds `match.phone`. */
const exampleOf = (path: IssuePath) => EXAMPLES[path.filter((p) => typeof p === 'string').join('.')];

function message(e: ErrorObject, path: IssuePath): Issue {
  const field = fieldName(path);
  const example = exampleOf(path);
  const write = example ? `; write ${example}` : '';
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as { properties?: Record<string, unknown>; description?: string };
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      const guess = didYouMean(extra, known);
      return {
        path: [...path, extra],
        key: true,
        message: `${path.length === 0 ? '' : `${field}: `}unknown field '${extra}'${guess ? `; did you mean '${guess}'?` : ''} (fields here: ${known.join(', ')})`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const needed = EXAMPLES[[...path, missing].join('.')];
      return { path, message: `${field} needs '${missing}'${needed ? `: add ${needed}` : ''}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return {
        path,
        message: `${field} is ${JSON.stringify(e.data)}; write one of ${allowed.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`,
      };
    }
    case 'oneOf':
      return {
        path,
        message: `${field} is ${JSON.stringify(e.data)}; write ${example ?? parent.description ?? 'one of the forms the schema allows'}`,
      };
    case 'type':
      if (path.length === 0)
        return { path, message: 'a scenario is a mapping of fields: start with name: my-scenario and description: What happens.' };
      return { path, message: `${field} must be ${params.type === 'integer' ? 'a whole number' : `a ${String(params.type)}`}${write}` };
    case 'pattern':
      if (String(params.pattern).startsWith('^[^\\r\\n]')) return { path, message: `${field} must be one line` };
      // A header value: what Node can send.
      if (String(params.pattern).startsWith('^[\\t\\u0020'))
        return { path, message: `${field} must be one line of printable text (tab, ASCII or Latin-1; no control characters)` };
      return { path, message: `${field} has a form that is not allowed${example ? write : ` (pattern ${String(params.pattern)})`}` };
    case 'propertyNames':
      return { path, message: `${field} has a header name that is not a valid HTTP token` };
    case 'minimum':
    case 'maximum':
      return { path, message: `${field} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}` };
    case 'minProperties':
      return { path, message: `${field} is empty; give at least one of ${Object.keys(parent.properties ?? {}).join(', ')}` };
    case 'minItems':
    case 'minLength':
      return { path, message: `${field} must not be empty${write}` };
    case 'maxLength':
      return { path, message: `${field} is too long: at most ${String(params.limit)} characters` };
    default:
      return { path, message: `${field} ${e.message ?? 'is invalid'}${write}` };
  }
}

/**
 * One issue per problem. A failed `oneOf` reports the failures of each of its branches too;
 * those say nothing the `oneOf`'s own message does not, so they are dropped.
 */
export function schemaIssues(errors: readonly ErrorObject[]): Issue[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !oneOfs.some((prefix) => e.schemaPath.startsWith(prefix))).map((e) => message(e, pathOf(e.instancePath)));
}
