/** The documented test identities (reference section 9) as request targets, every attribute given. */
export const BARBARA = {
  fn: 'Barbara',
  ln: 'Miller',
  addr: '123 Main St',
  city: 'Stratford',
  state: 'CT',
  zip: '06614',
  dob: '19740821',
  ssn: '854125698',
  phone: '2015106000',
  email: 'bmiller@veratad.com',
  age: '21+',
  test_key: 'general_identity',
} as const;

export const LINCOLN = {
  fn: 'Abraham',
  ln: 'Lincoln',
  addr: '1600 Pennsylvania Ave NW',
  city: 'Washington',
  state: 'DC',
  zip: '20500',
  dob: '19820212',
  phone: '2015106000',
  test_key: 'deceased2',
} as const;

/** The identity verdicts as `result` objects. */
export const PASS = { action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] };
export const NO_MATCH = { action: 'FAIL', detail: 'NO MATCH', issues: [] };
export const DECEASED = { action: 'FAIL', detail: 'TARGET IS DECEASED', issues: [] };
export const review = (...issues: string[]) => ({ action: 'REVIEW', detail: 'TRANSACTION REQUIRES FURTHER ATTENTION', issues });
