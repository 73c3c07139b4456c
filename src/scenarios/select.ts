/**
 * Which scenario decides a request. Three levels, like Prism's `Prefer` header and mailpit's
 * chaos API: the `x-phonematch-scenario` header wins, then a scenario activated through the
 * control API for the namespace (then one activated for all namespaces), then the first file,
 * in name order, whose `match` fits the request's own data (the magic numbers).
 */
import type { PhoneFacts } from '../domain/phone.js';
import type { LoadedScenario } from './loader.js';

export type Endpoint = 'gateway' | 'continue';

export interface SelectionRequest {
  endpoint: Endpoint;
  phone: Pick<PhoneFacts, 'e164' | 'digits'>;
  user: string;
  reference: string | null;
  service: string;
}

export type SelectedVia = 'header' | 'active' | 'match';

export interface Selection {
  scenario: LoadedScenario;
  via: SelectedVia;
}

function oneOf(wanted: string | readonly string[] | undefined, actual: string | null): boolean {
  if (wanted === undefined) return true;
  if (actual === null) return false;
  return typeof wanted === 'string' ? wanted === actual : wanted.includes(actual);
}

export function matches(loaded: LoadedScenario, request: SelectionRequest): boolean {
  const match = loaded.scenario.match;
  if (!match) return false;
  if (loaded.phoneKeys) {
    const key = request.phone.e164 ?? request.phone.digits;
    if (!loaded.phoneKeys.has(key)) return false;
  }
  return (
    oneOf(match.endpoint, request.endpoint) &&
    oneOf(match.user, request.user) &&
    oneOf(match.reference, request.reference) &&
    oneOf(match.service, request.service)
  );
}

/**
 * The scenarios that can match a number, in their order: those that name it, and those that name
 * no number at all. A request looks at these only, so selection costs the same with 22 scenario
 * files or 1,000 (a cost that grows with the work is a defect: see the bench's scale run).
 */
class MatchIndex {
  private readonly byPhone = new Map<string, LoadedScenario[]>();
  private readonly anyPhone: LoadedScenario[];

  constructor(scenarios: readonly LoadedScenario[]) {
    const withMatch = scenarios.filter((s) => s.scenario.match !== undefined);
    this.anyPhone = withMatch.filter((s) => s.phoneKeys === null);
    for (const scenario of withMatch) {
      for (const key of scenario.phoneKeys ?? []) {
        if (!this.byPhone.has(key)) {
          // Every number's list keeps the order of the whole set: the number's own scenarios
          // merged with the ones for any number.
          this.byPhone.set(
            key,
            withMatch.filter((s) => s.phoneKeys === null || s.phoneKeys.has(key)),
          );
        }
      }
    }
  }

  candidates(key: string): readonly LoadedScenario[] {
    return this.byPhone.get(key) ?? this.anyPhone;
  }
}

// The registry replaces its list whenever the set changes, so an index per list is never stale.
const indexes = new WeakMap<readonly LoadedScenario[], MatchIndex>();

function indexOf(scenarios: readonly LoadedScenario[]): MatchIndex {
  let index = indexes.get(scenarios);
  if (!index) {
    index = new MatchIndex(scenarios);
    indexes.set(scenarios, index);
  }
  return index;
}

/**
 * Pure: the same request and scenarios always give the same answer. `forced` holds the scenario
 * the header or an activation named, already looked up (it wins whatever its `match` says).
 */
export function selectOutcome(
  request: SelectionRequest,
  scenarios: readonly LoadedScenario[],
  forced?: { scenario: LoadedScenario; via: 'header' | 'active' },
): Selection | null {
  if (forced) return forced;
  for (const scenario of indexOf(scenarios).candidates(request.phone.e164 ?? request.phone.digits)) {
    if (matches(scenario, request)) return { scenario, via: 'match' };
  }
  return null;
}
