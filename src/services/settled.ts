/**
 * What a synchronous service's transaction records: settled by its one answer, so no token and
 * no expiry. Validate and Phone Verification store one so the inbox and the control API show it.
 */
import type { PhoneFacts } from '../domain/phone.js';
import type { Outcome, TransactionBase, TransactionState } from '../store/types.js';
import type { GatewayCall, ServiceKit } from './types.js';

export function settledFields(
  kit: ServiceKit,
  { body, service, login, namespace, scenario, now }: GatewayCall<{ reference?: string }>,
  phone: PhoneFacts,
  outcome: Outcome,
  state: TransactionState,
): TransactionBase {
  return {
    id: kit.nextConfirmation(),
    namespace,
    token: null,
    service,
    user: login.user,
    company: login.company,
    // Echoed like every other service's (Validate's sample shows null: a slip, a mock decision).
    reference: body.reference ?? null,
    phone,
    state,
    outcome: { action: outcome.action, detail: outcome.detail },
    createdAt: now,
    expiresAt: null,
    updatedAt: now,
    scenario: scenario?.name ?? null,
    // The simulator records the scenario's variation (sequence step, chance) once the model has decided.
    variation: null,
  };
}
