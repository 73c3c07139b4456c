/**
 * `PhoneMatch5.0.Dialer`'s call (reference services section 5): the gateway places a call that
 * plays a recorded message; status requests answer PENDING while it is in progress, then its
 * final result. The public page does not show the status request's results, so everything here
 * past the gateway is a mock decision (docs/services.md). Pure functions of their inputs, in the
 * mock's clock.
 */
import { DETAIL } from './ruleset.js';

/** How a Dialer call ends (the scenario's `dialer.outcome`). */
export type CallOutcome = 'delivered' | 'no-answer' | 'busy' | 'failed';

/** The call a `PhoneMatch5.0.Dialer` transaction placed, in the mock's clock. */
export interface PlacedCall {
  /** `options.outofband.message`: the recorded audio file played. */
  audio: string;
  outcome: CallOutcome;
  /** When the call ends: the gateway's time plus the scenario's `dialer.durationMs`. */
  endsAt: number;
  /** Status requests answered PENDING before the final result (the scenario's `dialer.pendingPolls`). */
  pendingPolls: number;
  /** Status requests answered so far. */
  polls: number;
}

/** mock decision: the audio file played when `options.outofband.message` is absent. */
export const DEFAULT_AUDIO = 'default.message';

/** mock decision: the continuation's instructions (the SMS sentence, told of a call). */
export const DIALER_INSTRUCTIONS =
  'A call has been placed to the provided number.  Please resubmit the template to retrieve the status of the call.';

export interface CallPlan {
  /** How long the call lasts in the mock's clock (default 0: over by the first status request). */
  durationMs?: number;
  /** Status requests answered PENDING before the final result, whatever the clock says (default 0). */
  pendingPolls?: number;
  /** How the call ends (default `delivered`). */
  outcome?: CallOutcome;
}

export function placeCall(audio: string, plan: CallPlan | undefined, now: number): PlacedCall {
  return {
    audio,
    outcome: plan?.outcome ?? 'delivered',
    endsAt: now + (plan?.durationMs ?? 0),
    pendingPolls: plan?.pendingPolls ?? 0,
    polls: 0,
  };
}

/** A call is over once its time has passed and it has been asked about often enough. */
export function callEnded(call: PlacedCall, now: number): boolean {
  return now >= call.endsAt && call.polls >= call.pendingPolls;
}

/** What the inbox and the control API show of a call. */
export function callStatus(call: PlacedCall, now: number): 'calling' | CallOutcome {
  return callEnded(call, now) ? call.outcome : 'calling';
}

export type CallResult = { action: 'PASS'; detail: typeof DETAIL.passed } | { action: 'FAIL'; detail: typeof DETAIL.sendFailed };

/**
 * mock decision: the final result of a call. Delivered is PASS / ALL CHECKS PASSED (the base
 * ruleset's PASS: "message sent successfully"); any other ending is FAIL / FAILED TO SEND TO
 * NUMBER, the documented detail for a message that never reached the user (the control API and
 * the inbox tell no-answer, busy and failed apart).
 */
export function callResult(call: PlacedCall): CallResult {
  return call.outcome === 'delivered' ? { action: 'PASS', detail: DETAIL.passed } : { action: 'FAIL', detail: DETAIL.sendFailed };
}
