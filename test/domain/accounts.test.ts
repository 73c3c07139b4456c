import { describe, expect, it } from 'vitest';
import { AccountBook, parseAccounts } from '../../src/domain/accounts.js';

describe('AccountBook without accounts (open)', () => {
  const book = new AccountBook(null, 'Open Co');

  it('logs in any non-empty user and pass under the default company', () => {
    expect(book.open).toBe(true);
    expect(book.authenticate('anyone', 'anything')).toEqual({ user: 'anyone', company: 'Open Co', active: true });
  });

  it.each([
    ['', 'p'],
    ['u', ''],
    [undefined, 'p'],
    ['u', undefined],
    [1, 'p'],
    ['u', 2],
    [null, null],
    [{}, []],
  ])('refuses user %j with pass %j', (user, pass) => {
    expect(book.authenticate(user, pass)).toBeNull();
  });
});

describe('AccountBook with accounts', () => {
  const book = new AccountBook(
    [
      { user: 'a@x.com', pass: 'secret', company: 'A Inc.' },
      { user: 'b@x.com', pass: 'other' },
    ],
    'Default Co',
  );

  it('logs in only a known user with the right password', () => {
    expect(book.open).toBe(false);
    expect(book.authenticate('a@x.com', 'secret')).toEqual({ user: 'a@x.com', company: 'A Inc.', active: true });
    expect(book.authenticate('b@x.com', 'other')).toEqual({ user: 'b@x.com', company: 'Default Co', active: true });
    expect(book.authenticate('a@x.com', 'wrong')).toBeNull();
    expect(book.authenticate('a@x.com', 'other')).toBeNull();
    expect(book.authenticate('c@x.com', 'secret')).toBeNull();
    expect(book.authenticate('A@X.COM', 'secret')).toBeNull();
  });

  it('tells the company of a user without a password (seeded transactions)', () => {
    expect(book.companyOf('a@x.com')).toBe('A Inc.');
    expect(book.companyOf('b@x.com')).toBe('Default Co');
    expect(book.companyOf('unknown@x.com')).toBe('Default Co');
    expect(new AccountBook(null, 'Open Co').companyOf('anyone')).toBe('Open Co');
  });

  it('refuses a user at run time until the refusals are cleared', () => {
    book.refuse('a@x.com');
    expect(book.authenticate('a@x.com', 'secret')).toBeNull();
    expect(book.authenticate('b@x.com', 'other')).not.toBeNull();
    book.clearRefusals();
    expect(book.authenticate('a@x.com', 'secret')).not.toBeNull();
  });

  it('does not take inherited names for users', () => {
    expect(book.authenticate('constructor', 'x')).toBeNull();
    expect(book.authenticate('__proto__', 'x')).toBeNull();
  });
});

describe('parseAccounts', () => {
  it('reads a JSON array of {user, pass, company?}', () => {
    expect(parseAccounts('[{"user":"a","pass":"p","company":"A Inc."},{"user":"b","pass":"q"}]')).toEqual([
      { user: 'a', pass: 'p', company: 'A Inc.' },
      { user: 'b', pass: 'q' },
    ]);
  });

  it('reads a JSON object of user → pass, or user → {pass, company}', () => {
    expect(parseAccounts('{"a":"p","b":{"pass":"q","company":"B Ltd"}}')).toEqual([
      { user: 'a', pass: 'p' },
      { user: 'b', pass: 'q', company: 'B Ltd' },
    ]);
    // The key names the user, whatever the entry says.
    expect(parseAccounts('{"b":{"user":"other","pass":"q"}}')).toEqual([{ user: 'b', pass: 'q' }]);
  });

  it('reads the compact form: user:pass[:company], by commas or lines, with # comments', () => {
    expect(parseAccounts(' a:p , b:q:B Ltd\n# a comment, c:r\n\n  d:s:Co: with colon \r\n')).toEqual([
      { user: 'a', pass: 'p' },
      { user: 'b', pass: 'q', company: 'B Ltd' },
      { user: 'd', pass: 's', company: 'Co: with colon' },
    ]);
  });

  it('keeps a company name with a comma in the compact form', () => {
    expect(parseAccounts('user@company.com:PASSWORD:Company ABC, Inc.,b:q')).toEqual([
      { user: 'user@company.com', pass: 'PASSWORD', company: 'Company ABC, Inc.' },
      { user: 'b', pass: 'q' },
    ]);
    // A comma with no entry after it belongs to the field it follows.
    expect(parseAccounts('a:p,q')).toEqual([{ user: 'a', pass: 'p,q' }]);
  });

  it('gives nothing for an empty text', () => {
    expect(parseAccounts('  \n# only a comment\n')).toEqual([]);
  });

  it.each([
    ['[{"user":"a"}]', /account 1 needs a non-empty "user" and "pass"/],
    ['[{"user":"a","pass":""}]', /account 1/],
    ['[{"user":"a","pass":"p"},{"pass":"p"}]', /account 2/],
    ['[null]', /account 1/],
    ['[1]', /account 1/],
    ['{"a":null}', /account 1/],
    ['{"a":5}', /account 1/],
    ['[{"user":"a","pass":"p","company":5}]', /"company" must be a string/],
    ['[{"user":"a",', /not valid JSON/],
    ['a:p\nbad', /account entry 2 \('bad'\)/],
    [':p', /is not user:pass/],
    ['a:', /is not user:pass/],
  ])('explains what is wrong with %j', (text, reason) => {
    expect(() => parseAccounts(text)).toThrow(reason);
  });
});

describe('inactive accounts', () => {
  it('logs in an account marked "active": false as inactive, and one deactivated at run time', () => {
    const book = new AccountBook(parseAccounts('[{"user":"r@x.com","pass":"p","active":false},{"user":"a@x.com","pass":"p"}]'), 'C');
    expect(book.authenticate('r@x.com', 'p')).toEqual({ user: 'r@x.com', company: 'C', active: false });
    expect(book.authenticate('r@x.com', 'wrong')).toBeNull();
    book.deactivate('a@x.com');
    expect(book.authenticate('a@x.com', 'p')?.active).toBe(false);
    book.clearRefusals();
    expect(book.authenticate('a@x.com', 'p')?.active).toBe(true);
  });

  it('refuses an "active" that is not a boolean', () => {
    expect(() => parseAccounts('[{"user":"a","pass":"p","active":"no"}]')).toThrow('"active" must be true or false');
  });
});
