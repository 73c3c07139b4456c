/**
 * `POST /__admin/states`: the provider-state catalogue over HTTP, so a Pact verifier can set
 * states up on a mock started elsewhere. The body is Pact's own state-change body
 * (`{state, params, action}`), so any Pact implementation can point its "provider states setup
 * URL" here; `phonematch-mock verify --provider-base-url` does. The operation is declared in
 * `admin-openapi.yaml` and routed (validated, and guarded by the admin token) with the rest of the
 * control API, through `adminRoutes`' `extraHandlers`.
 */
import type { RouteHandlerMethod } from 'fastify';
import { ProviderStateError, ProviderStates, type StateAction } from '../contracts/states.js';
import { PhoneMatchError } from '../domain/errors.js';
import type { Simulator } from '../simulator.js';

interface StateChange {
  state: string;
  params?: Record<string, unknown> | null;
  action?: StateAction;
}

/** The control-API handlers of this file, by operationId. */
export function stateOperations(simulator: Simulator): Record<string, RouteHandlerMethod> {
  const states = new ProviderStates(simulator);
  return {
    setProviderState: async (request) => {
      const { state, params, action = 'setup' } = request.body as StateChange;
      try {
        return { state, action, values: states.change(action, state, params ?? {}) };
      } catch (error) {
        if (error instanceof ProviderStateError) throw new PhoneMatchError('adminBadRequest', error.message);
        throw error;
      }
    },
  };
}
