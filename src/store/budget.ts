/**
 * Budgets: how much of a bounded resource is in use, against its limit. Every collection the mock
 * keeps for any client (the journal, messages, transactions, late deliveries, namespaces' clocks
 * and activations, event streams, long-polls, connections) has one, and `GET /__admin/health`
 * shows them all, so a load test can see what is full and what was cut or refused.
 */

export interface BudgetUse {
  /** What `used` and `limit` count. */
  unit: 'bytes' | 'entries';
  used: number;
  limit: number;
  /** How many were cut, evicted or refused because the budget was full, since the start. */
  refused: number;
}

/** A count budget: `take` is false when full (and counts the refusal). */
export class CountBudget {
  used = 0;
  refused = 0;

  constructor(readonly limit: number) {}

  take(): boolean {
    if (this.used >= this.limit) {
      this.refused++;
      return false;
    }
    this.used++;
    return true;
  }

  release(): void {
    if (this.used > 0) this.used--;
  }

  use(): BudgetUse {
    return { unit: 'entries', used: this.used, limit: this.limit, refused: this.refused };
  }
}
