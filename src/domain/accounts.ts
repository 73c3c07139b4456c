/**
 * API accounts. By default the mock is open: any non-empty user and pass log in, under the
 * configured company name. With accounts given (file or environment), only they do and a wrong
 * password is AUTH0 / Bad Login. Users can also be refused at run time (the Pact state "the
 * account {user} does not exist").
 */
export interface Account {
  user: string;
  pass: string;
  company?: string;
  /** false: the credentials are right but the account is not active (403 User Not Active). */
  active?: boolean;
}

export interface LoggedIn {
  user: string;
  company: string;
  /** false for an account marked inactive: its requests are refused after the login check. */
  active: boolean;
}

export class AccountBook {
  private readonly accounts: Map<string, Account> | null;
  private readonly refused = new Set<string>();
  private readonly inactive = new Set<string>();

  constructor(
    accounts: readonly Account[] | null,
    private readonly defaultCompany: string,
  ) {
    this.accounts = accounts ? new Map(accounts.map((a) => [a.user, a])) : null;
  }

  get open(): boolean {
    return this.accounts === null;
  }

  /** The logged-in account, or null for a bad login. */
  authenticate(user: unknown, pass: unknown): LoggedIn | null {
    if (typeof user !== 'string' || typeof pass !== 'string' || user === '' || pass === '') return null;
    if (this.refused.has(user)) return null;
    if (this.accounts === null) return { user, company: this.defaultCompany, active: !this.inactive.has(user) };
    const account = this.accounts.get(user);
    if (!account || account.pass !== pass) return null;
    return { user, company: account.company ?? this.defaultCompany, active: account.active !== false && !this.inactive.has(user) };
  }

  /** The company a user's transactions carry, without checking a password (seeded transactions). */
  companyOf(user: string): string {
    return this.accounts?.get(user)?.company ?? this.defaultCompany;
  }

  refuse(user: string): void {
    this.refused.add(user);
  }

  /** Marks an account inactive at run time (the Pact state "the account {user} is not active"). */
  deactivate(user: string): void {
    this.inactive.add(user);
  }

  clearRefusals(): void {
    this.refused.clear();
    this.inactive.clear();
  }
}

/**
 * Parses accounts from a file's text or an environment value: a JSON array of
 * `{user, pass, company?, active?}`, a JSON object `{ "user": "pass" }` or
 * `{ "user": { "pass", "company", "active" } }`,
 * or the compact `user:pass[:company]` entries separated by commas or new lines (`#` starts a
 * comment line). A password cannot contain `:` in the compact form.
 */
export function parseAccounts(text: string): Account[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`the accounts are not valid JSON: ${(error as Error).message}`);
    }
    const list: unknown[] = Array.isArray(value)
      ? value
      : Object.entries(value as Record<string, unknown>).map(([user, pass]) =>
          // The key is the user name, whatever the entry says.
          typeof pass === 'object' && pass !== null ? { ...pass, user } : { user, pass },
        );
    return list.map((entry, i) => {
      const a = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<Account>;
      if (typeof a.user !== 'string' || a.user === '' || typeof a.pass !== 'string' || a.pass === '')
        throw new Error(`account ${i + 1} needs a non-empty "user" and "pass"`);
      if (a.company !== undefined && typeof a.company !== 'string') throw new Error(`account ${i + 1}: "company" must be a string`);
      if (a.active !== undefined && typeof a.active !== 'boolean') throw new Error(`account ${i + 1}: "active" must be true or false`);
      return {
        user: a.user,
        pass: a.pass,
        ...(a.company === undefined ? {} : { company: a.company }),
        ...(a.active === undefined ? {} : { active: a.active }),
      };
    });
  }
  // A comma separates entries only when an entry (with its colon) follows, so a company such as
  // "Company ABC, Inc." (the reference's sample) survives in the compact form.
  return trimmed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => line.split(/,(?=[^,]*:)/))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((line, i) => {
      const [user, pass, ...company] = line.split(':');
      if (!user || !pass) throw new Error(`account entry ${i + 1} ('${line}') is not user:pass[:company]`);
      return company.length > 0 ? { user, pass, company: company.join(':') } : { user, pass };
    });
}
