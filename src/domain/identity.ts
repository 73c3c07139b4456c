/**
 * Identity matching for the identity services of the family: Smart 2FA's second step and Phone
 * Verification (`PhoneMatch5.0`), reference sections 4, 7 and 9. Pure: a target's attributes in,
 * a verdict out (PASS / NO MATCH / TARGET IS DECEASED / REVIEW with issues), and the V-PIN of a
 * person. No live data exists here, so a person is known three ways (docs/identity.md):
 *
 * - the documented test keys (`target.test_key`), answered from the documented test identities;
 * - a scenario's `identity` outcome (decided by the caller, which passes it to `decideIdentity`);
 * - otherwise the default: the person is "found" (fn, ln and phone are required, and first +
 *   last name + phone is a documented "found a match" combination) and every other attribute
 *   given is taken as matching.
 */
import { createHash } from 'node:crypto';

export const IDENTITY_DETAIL = {
  passed: 'ALL CHECKS PASSED',
  noMatch: 'NO MATCH',
  deceased: 'TARGET IS DECEASED',
  review: 'TRANSACTION REQUIRES FURTHER ATTENTION',
} as const;

/**
 * The issues a REVIEW lists. The first six are documented (reference section 7; "DAY OF BIRTH
 * CHE…" is cut there and completed as its siblings read). mock decision: `EMAIL CHECK FAILED`
 * and `AGE CHECK FAILED` are the mock's, worded like the documented ones.
 */
export const ISSUES = [
  'PHONE CHECK FAILED',
  'ADDRESS CHECK FAILED',
  'SSN CHECK FAILED',
  'DATE OF BIRTH CHECK FAILED',
  'YEAR OF BIRTH CHECK FAILED',
  'MONTH OF BIRTH CHECK FAILED',
  'DAY OF BIRTH CHECK FAILED',
  'EMAIL CHECK FAILED',
  'AGE CHECK FAILED',
] as const;
export type Issue = (typeof ISSUES)[number];

export type IdentityVerdict =
  | { action: 'PASS'; detail: typeof IDENTITY_DETAIL.passed; issues: readonly [] }
  | { action: 'FAIL'; detail: typeof IDENTITY_DETAIL.noMatch | typeof IDENTITY_DETAIL.deceased; issues: readonly [] }
  | { action: 'REVIEW'; detail: typeof IDENTITY_DETAIL.review; issues: readonly Issue[] };

/** A scenario's identity outcome (schema/scenario.schema.json `identity`). */
export interface IdentityOutcome {
  outcome: 'match' | 'no-match' | 'deceased' | 'review';
  issues?: readonly Issue[] | undefined;
}

/** The identity attributes of a request's `target` (all strings, forms already checked by the spec). */
export interface IdentityInput {
  fn: string;
  ln: string;
  /** The number's key: E.164 when it could be read, else its digits. */
  phone: string;
  addr?: string | undefined;
  city?: string | undefined;
  state?: string | undefined;
  zip?: string | undefined;
  dob?: string | undefined;
  ssn?: string | undefined;
  email?: string | undefined;
  age?: string | undefined;
}

export interface TestIdentity {
  fn: string;
  ln: string;
  addr: string;
  city: string;
  state: string;
  zip: string;
  dob: string;
  /** Absent when the documentation gives none: that attribute is then not checked. */
  ssn?: string;
  phone?: string;
  email?: string;
  deceased: boolean;
}

/** The documented test identities, by `test_key` (reference section 9, page TCASES). */
export const TEST_IDENTITIES: Readonly<Record<string, TestIdentity>> = {
  general_identity: {
    fn: 'Barbara',
    ln: 'Miller',
    addr: '123 Main St',
    city: 'Stratford',
    state: 'CT',
    zip: '06614',
    dob: '19740821',
    ssn: '854125698',
    phone: '+12015106000',
    email: 'bmiller@veratad.com',
    deceased: false,
  },
  deceased2: {
    fn: 'Abraham',
    ln: 'Lincoln',
    addr: '1600 Pennsylvania Ave NW',
    city: 'Washington',
    state: 'DC',
    zip: '20500',
    dob: '19820212',
    deceased: true,
  },
};

export const TEST_KEYS = Object.keys(TEST_IDENTITIES);

// Street words written in full or abbreviated are the same address (USPS abbreviations).
const ADDRESS_WORDS: Readonly<Record<string, string>> = {
  street: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  drive: 'dr',
  lane: 'ln',
  boulevard: 'blvd',
  court: 'ct',
  place: 'pl',
  suite: 'ste',
  apartment: 'apt',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northwest: 'nw',
  northeast: 'ne',
  southwest: 'sw',
  southeast: 'se',
};

/**
 * How two attribute values are compared (docs/identity.md): case, accents, punctuation and runs
 * of white space do not count ("O'Brien" = "obrien", "Main St." = "main st").
 */
export function normaliseText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An address: as text, with street words abbreviated ("123 Main Street" = "123 main st"). */
export function normaliseAddress(value: string): string {
  return normaliseText(value)
    .split(' ')
    .map((word) => ADDRESS_WORDS[word] ?? word)
    .join(' ');
}

const digits = (value: string) => value.replace(/\D/g, '');

/** Does a person born on `dob` (YYYYMMDD) satisfy an age check (`21+`, `<18`, `18-25`…) on the day of `now`? */
export function ageSatisfies(check: string, dob: string, now: number): boolean {
  const today = new Date(now);
  const year = Number(dob.slice(0, 4));
  const monthDay = Number(dob.slice(4));
  const todayMonthDay = (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
  const age = today.getUTCFullYear() - year - (todayMonthDay < monthDay ? 1 : 0);
  const range = /^(\d{1,3})-(\d{1,3})$/.exec(check);
  if (range) return age >= Number(range[1]) && age <= Number(range[2]);
  const suffix = /^(\d{1,3})([+-])$/.exec(check);
  if (suffix) return suffix[2] === '+' ? age >= Number(suffix[1]) : age <= Number(suffix[1]);
  const compare = /^([<>]=?)(\d{1,3})$/.exec(check);
  if (!compare) return false;
  const limit = Number(compare[2]);
  switch (compare[1]) {
    case '<':
      return age < limit;
    case '<=':
      return age <= limit;
    case '>':
      return age > limit;
    default:
      return age >= limit;
  }
}

const PASS: IdentityVerdict = { action: 'PASS', detail: IDENTITY_DETAIL.passed, issues: [] };
const NO_MATCH: IdentityVerdict = { action: 'FAIL', detail: IDENTITY_DETAIL.noMatch, issues: [] };
const DECEASED: IdentityVerdict = { action: 'FAIL', detail: IDENTITY_DETAIL.deceased, issues: [] };

function review(issues: readonly Issue[]): IdentityVerdict {
  return { action: 'REVIEW', detail: IDENTITY_DETAIL.review, issues };
}

/** The verdict a scenario's identity outcome stands for. */
export function verdictOf(outcome: IdentityOutcome): IdentityVerdict {
  switch (outcome.outcome) {
    case 'match':
      return PASS;
    case 'no-match':
      return NO_MATCH;
    case 'deceased':
      return DECEASED;
    default:
      // mock decision: a review without issues lists PHONE CHECK FAILED, the documented sample's.
      return review(outcome.issues && outcome.issues.length > 0 ? outcome.issues : ['PHONE CHECK FAILED']);
  }
}

/**
 * Compares a target with a test identity. The names say whether the person is found (a changed
 * first name is `NO MATCH`, as the test-case page says); a found person who is deceased is
 * `TARGET IS DECEASED`; otherwise each other attribute given is checked and every mismatch is an
 * issue of a REVIEW. An attribute the test identity has no value for is not checked.
 */
export function matchTestIdentity(person: TestIdentity, input: IdentityInput, now: number): IdentityVerdict {
  if (normaliseText(input.fn) !== normaliseText(person.fn) || normaliseText(input.ln) !== normaliseText(person.ln)) return NO_MATCH;
  if (person.deceased) return DECEASED;
  const issues: Issue[] = [];
  if (person.phone !== undefined && digits(input.phone) !== digits(person.phone)) issues.push('PHONE CHECK FAILED');
  const addressWrong =
    (input.addr !== undefined && normaliseAddress(input.addr) !== normaliseAddress(person.addr)) ||
    (input.city !== undefined && normaliseText(input.city) !== normaliseText(person.city)) ||
    (input.state !== undefined && normaliseText(input.state) !== normaliseText(person.state)) ||
    // A ZIP+4 matches its five-digit ZIP.
    (input.zip !== undefined && digits(input.zip).slice(0, 5) !== person.zip);
  if (addressWrong) issues.push('ADDRESS CHECK FAILED');
  // A four-digit SSN is the last four.
  if (input.ssn !== undefined && person.ssn !== undefined && !person.ssn.endsWith(digits(input.ssn))) issues.push('SSN CHECK FAILED');
  if (input.dob !== undefined && digits(input.dob) !== person.dob) issues.push('DATE OF BIRTH CHECK FAILED');
  if (input.email !== undefined && person.email !== undefined && input.email.trim().toLowerCase() !== person.email)
    issues.push('EMAIL CHECK FAILED');
  if (input.age !== undefined && !ageSatisfies(input.age.trim(), person.dob, now)) issues.push('AGE CHECK FAILED');
  return issues.length > 0 ? review(issues) : PASS;
}

/**
 * The verdict for a target: a scenario's outcome wins, then the test key's identity, then the
 * default (found, everything given matches). An unknown test key never gets here: the spec's
 * pattern for `test_key` makes it a QRY2 request error.
 */
export function decideIdentity(input: IdentityInput, testKey: string | undefined, scenario: IdentityOutcome | undefined, now: number) {
  if (scenario) return verdictOf(scenario);
  const person = testKey === undefined ? undefined : TEST_IDENTITIES[testKey];
  if (person) return matchTestIdentity(person, input, now);
  return PASS;
}

/**
 * The V-PIN of a person: a v4-formatted UUID derived from the normalised first name, last name
 * and phone, so the same person gets the same V-PIN in every transaction, namespace and run
 * (mock decision; the real V-PIN is Veratad's own identifier). A person found through a test key
 * gets the V-PIN of the test identity (its documented names and phone).
 */
export function vpinOf(input: Pick<IdentityInput, 'fn' | 'ln' | 'phone'>, testKey?: string): string {
  const person = testKey === undefined ? undefined : TEST_IDENTITIES[testKey];
  const key = person ? `test:${testKey}` : ['person', normaliseText(input.fn), normaliseText(input.ln), digits(input.phone)].join('\u0000');
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
