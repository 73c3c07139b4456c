/**
 * The service seam. Every PhoneMatch service shares the two endpoints and is told apart by
 * `body.service` (and, on the continue, by the service of the token's transaction), so the
 * product, not the endpoint, is the unit of the code: each family is one `ServiceModel`.
 *
 * A model declares its names, the `openapi.yaml` schemas its requests are validated against and
 * its answers serialised with, and decides. The simulator does what every service shares (the
 * namespace, the number's facts, the scenario in force, confirmation numbers, `meta`, the store)
 * and hands the model a `ServiceKit` for it; the HTTP layer validates in two steps (envelope,
 * credentials and service first, then the model's own schema) and never knows which services exist.
 */

import type { MockConfig } from '../config.js';
import type { LoggedIn } from '../domain/accounts.js';
import type { PhoneFacts, PhoneOptions } from '../domain/phone.js';
import type { Scenario } from '../generated/scenario.js';
import type { Message, MessageStatus, Meta, Store, Transaction } from '../store/types.js';

/** The name of a component schema of `openapi.yaml`. */
export type SchemaName = string;

/** What every service may use of the simulator. */
export interface ServiceKit {
  readonly config: MockConfig;
  readonly store: Store;
  readonly phoneOptions: PhoneOptions;
  /** The PENDING detail in force (`--pending-detail`). */
  readonly pendingDetail: string;
  now(namespace: string): number;
  nextConfirmation(): number;
  nextMessageId(): number;
  meta(confirmation: number, tx: Transaction, now: number): Meta;
  /** Stores a message now, or when its delay has passed (a reset cancels it). */
  deliver(message: Message, tx: Transaction & { messageId: number | null }, delayMs: number): void;
  /** The latest transaction of a number (its match key) in a namespace, whatever its state. */
  latestFor(namespace: string, phone: string): Transaction | undefined;
}

/** An add-on a service name may carry as a suffix (reference section 10). */
export type AddOn = 'VPIN';

/** A gateway request that passed the envelope, the credentials, the service and its schema. */
export interface GatewayCall<Body> {
  body: Body;
  /** The service name as sent (suffixes included). */
  service: string;
  /** The add-ons its suffixes turned on (only those the model accepts get this far). */
  addOns: readonly AddOn[];
  login: LoggedIn;
  namespace: string;
  /** The number's facts as the metadata reads them (before any scenario). */
  phone: PhoneFacts;
  /** The scenario in force, if any (its transport was not a replacement). */
  scenario: Scenario | undefined;
  now: number;
}

/** A continue request on a known transaction, validated against the model's continue schema. */
export interface ContinueCall<Body> {
  body: Body;
  tx: Transaction;
  scenario: Scenario | undefined;
  now: number;
}

export interface ServiceModel<GatewayBody = unknown, GatewayAnswer = unknown, ContinueBody = unknown, ContinueAnswer = unknown> {
  /** Recorded on each transaction; the continue dispatches on it. */
  readonly kind: Transaction['kind'];
  /** The service names this model answers (without add-on suffixes). */
  readonly names: readonly string[];
  /** The add-on suffixes its names accept; any other suffix is No Such Service. */
  readonly addOns?: readonly AddOn[];
  readonly gatewayRequest: SchemaName;
  readonly gatewayResponse: SchemaName;
  /** The gateway's response schema when an add-on changes the envelope's shape (else `gatewayResponse`). */
  readonly gatewayResponseWith?: Readonly<Partial<Record<AddOn, SchemaName>>>;
  /** Absent for a synchronous service: it has no continue. */
  readonly continueRequest?: SchemaName;
  /**
   * The top-level key that marks this service's continue body (`codematch`). A token that names
   * no transaction is checked against the schema its body claims, so a malformed body is still
   * reported before the token.
   */
  readonly continueShape?: string;
  readonly continueResponse?: SchemaName;
  /** The answer, and the transaction to store (the simulator stores it). */
  gateway(kit: ServiceKit, call: GatewayCall<GatewayBody>): { tx: Transaction | null; answer: GatewayAnswer };
  /** Null when the token can no longer be continued (spent or expired): a bad-token error. */
  continue?(kit: ServiceKit, call: ContinueCall<ContinueBody>): ContinueAnswer | null;
  /**
   * The status a captured message reads as now, when it changes after the gateway (a Dialer
   * call in progress, then delivered or not, in the mock's clock). Absent: the stored status.
   */
  messageStatus?(tx: Transaction, message: Message, now: number): MessageStatus;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds models of every body type.
export type AnyServiceModel = ServiceModel<any, any, any, any>;
