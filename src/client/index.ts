/**
 * A typed client of the PhoneMatch API (the real service or phonematch-mock): SMS and Call codes,
 * Validate, the Dialer, Smart 2FA and Phone Verification; built on `openapi-fetch` with the types generated from `openapi.yaml`.
 * Every call resolves to a result whose `kind` says what happened; nothing is thrown for an answer
 * the API documents:
 *
 * - `processed`: HTTP 200, a transaction was processed (PENDING, PASS or FAIL is in `body.result`);
 * - `request-error`: the request was refused with the documented error envelope (`body.error.code`);
 * - `failure`: no documented answer at all (connection refused or reset, a body that is not JSON,
 *   a status and shape the spec does not describe). `error` is a real `Error`, never a string.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/phonematch.js';

type Schemas = components['schemas'];
export type GatewayRequest = Schemas['GatewayRequest'];
export type GatewayResponse = Schemas['GatewayResponse'];
export type ContinueRequest = Schemas['ContinueRequest'];
export type ContinueResponse = Schemas['ContinueResponse'];
export type ValidateRequest = Schemas['ValidateRequest'];
export type ValidateResponse = Schemas['ValidateResponse'];
export type PhoneNumberData = Schemas['PhoneNumberData'];
export type DialerRequest = Schemas['DialerRequest'];
export type DialerResponse = Schemas['DialerResponse'];
export type DialerStatusRequest = Schemas['DialerStatusRequest'];
export type DialerStatusResponse = Schemas['DialerStatusResponse'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type ErrorCode = Schemas['ErrorCode'];
export type Service = Schemas['Service'];
export type Smart2faRequest = Schemas['Smart2faRequest'];
export type Smart2faGatewayResponse = Schemas['Smart2faGatewayResponse'];
export type Smart2faContinueResponse = Schemas['Smart2faContinueResponse'];
export type VerificationRequest = Schemas['VerificationRequest'];
export type VerificationResponse = Schemas['VerificationResponse'] | Schemas['VerificationVpinResponse'];
export type IdentityTarget = Schemas['IdentityTarget'];
export type IdentityResult = Schemas['IdentityResult'];
export type LineType = Schemas['LineType'];

export const GATEWAY_PATH = '/process/comprehensive/gateway';
export const CONTINUE_PATH = '/process/continue';

export interface PhoneMatchClientOptions {
  /** `https://production.idresponse.com`, or the mock's URL (`http://127.0.0.1:8080`). */
  baseUrl: string;
  /** The API user name, sent in the gateway body. */
  user: string;
  /** The API password, sent in the gateway body. */
  pass: string;
  /** A fetch to use instead of the global one (tests, proxies, retries). */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * The mock's namespace of every request (the `x-phonematch-namespace` header): one per test file
   * keeps parallel tests apart. Without it the mock files requests under the API user. The real
   * service ignores the header.
   */
  namespace?: string;
  /** Gives up on a request after this long, with a `failure` whose error is a `TimeoutError` (default: no limit). */
  timeoutMs?: number;
  /** Aborts every request when it aborts (a `failure` whose error is the abort reason). */
  signal?: AbortSignal;
}

/** Per call: a limit or an abort signal of its own, on top of the client's. */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const NAMESPACE_HEADER = 'x-phonematch-namespace';

export interface SendCodeInput {
  /** Digits with any punctuation; 10 digits are a US number, otherwise the country calling code comes first. */
  phone: string;
  /** Default `PhoneMatch5.0.SMS`. Any other string is sent as is (the API answers an unknown service with an error). */
  service?: Service | (string & {});
  /** Your own reference, echoed as `meta.reference`. */
  reference?: string;
  /** SMS template: `{pin}` becomes the code, `{fn}`, `{ln}` or any target attribute becomes its value. */
  message?: string;
  /** Line types never to send to (`FAIL / SUPPRESSED SENDING CODE`). */
  doNotSendToTypes?: LineType[];
  /** ISO2 country rules (`FAIL / SUPPRESSED SENDING CODE` outside them). */
  country?: { blacklist?: string[]; whitelist?: string[] };
  /** Other target attributes (`fn`, `ln`, …); `phone` above wins over a `phone` here. */
  target?: Record<string, unknown>;
}

/** The person, for the identity services (Smart 2FA, Phone Verification). */
export interface IdentityInput {
  fn: string;
  ln: string;
  phone: string;
  addr?: string;
  city?: string;
  state?: string;
  zip?: string;
  /** `YYYYMMDD`. */
  dob?: string;
  /** The last 4 digits or all 9. */
  ssn?: string;
  email?: string;
  /** `21+`, `<18`, `18-25`… */
  age?: string;
  /** A documented test key (`general_identity`, `deceased2`): answers from the test identities. */
  testKey?: 'general_identity' | 'deceased2' | (string & {});
}

export interface VerifyPhoneInput extends IdentityInput {
  reference?: string;
  /** Adds the V-PIN add-on (`PhoneMatch5.0.VPIN`): `output.vpin` in the answer. */
  vpin?: boolean;
}

export interface Smart2faInput extends VerifyPhoneInput {
  /** How the code is sent; default `sms`. */
  channel?: 'sms' | 'call';
  /** SMS template, as for `sendCode`. */
  message?: string;
  doNotSendToTypes?: LineType[];
  country?: { blacklist?: string[]; whitelist?: string[] };
}

export interface ValidateInput {
  /** Digits with any punctuation; 10 digits are a US number, otherwise the country calling code comes first. */
  phone: string;
  reference?: string;
  /** Line types that fail the check (`FAIL / PHONE TYPE CHECK FAILED`). */
  invalidLineTypes?: LineType[];
}

export interface DialInput {
  phone: string;
  reference?: string;
  /** The name Veratad gave the recorded audio file to play (`options.outofband.message`). */
  audio?: string;
  /** Line types never to call (`FAIL / SUPPRESSED SENDING CODE`). */
  doNotSendToTypes?: LineType[];
  /** ISO2 country rules (`FAIL / SUPPRESSED SENDING CODE` outside them). */
  country?: { blacklist?: string[]; whitelist?: string[] };
}

export interface Processed<Body> {
  kind: 'processed';
  status: 200;
  body: Body;
  /** The answer's headers. */
  headers: Headers;
}

export interface RequestError {
  kind: 'request-error';
  /** 400 for most request errors; 403 User Not Active, 404 No Such Service; the mock also answers 413. */
  status: number;
  body: ErrorResponse;
  /** One of the spec's codes; a mock scenario may answer its own (`SVC503`). */
  code: ErrorCode | (string & {});
  message: string;
  /** Absent where the real answer has no detail (IN0). */
  detail: string | undefined;
  /** The answer's headers (`Retry-After` of a rate limit, for one). */
  headers: Headers;
}

export interface Failure {
  kind: 'failure';
  /** The HTTP status, or null when no answer arrived. */
  status: number | null;
  error: Error;
  /** The answer's headers, or null when no answer arrived. */
  headers: Headers | null;
}

export type SendCodeResult = (Processed<GatewayResponse> & { token: string | null }) | RequestError | Failure;
export type CheckCodeResult = Processed<ContinueResponse> | RequestError | Failure;
export type StartSmart2faResult = (Processed<Smart2faGatewayResponse> & { token: string | null }) | RequestError | Failure;
export type CheckSmart2faCodeResult = Processed<Smart2faContinueResponse> | RequestError | Failure;
export type VerifyPhoneResult = Processed<VerificationResponse> | RequestError | Failure;
export type ValidateResult = Processed<ValidateResponse> | RequestError | Failure;
export type DialResult = (Processed<DialerResponse> & { token: string | null }) | RequestError | Failure;
export type DialStatusResult = Processed<DialerStatusResponse> | RequestError | Failure;

export interface PhoneMatchClient {
  /** The gateway request: validate the number and send a code. `token` is set when the answer is PENDING. */
  sendCode(input: SendCodeInput, options?: CallOptions): Promise<SendCodeResult>;
  /** The continue request: check the code the user typed against the token of a PENDING answer. */
  checkCode(token: string, key: string | number, options?: CallOptions): Promise<CheckCodeResult>;
  /** Smart 2FA's gateway: send a code to the person's phone. `token` is set when the answer is PENDING. */
  startSmart2fa(input: Smart2faInput, options?: CallOptions): Promise<StartSmart2faResult>;
  /** Smart 2FA's continue: check the code, then (when right) match the person: PASS, FAIL or REVIEW with issues. */
  checkSmart2faCode(token: string, key: string | number, options?: CallOptions): Promise<CheckSmart2faCodeResult>;
  /** Phone Verification (`PhoneMatch5.0`): does the phone belong to the person? One synchronous answer. */
  verifyPhone(input: VerifyPhoneInput, options?: CallOptions): Promise<VerifyPhoneResult>;
  /** `PhoneMatch5.0.Validate`: is the number valid, of which line type, country and carrier (synchronous). */
  validate(input: ValidateInput, options?: CallOptions): Promise<ValidateResult>;
  /** `PhoneMatch5.0.Dialer`: place a call playing a recorded message. `token` is set when the answer is PENDING. */
  dial(input: DialInput, options?: CallOptions): Promise<DialResult>;
  /** The Dialer's status request: PENDING while the call is in progress, then PASS (delivered) or FAIL. */
  dialStatus(token: string, options?: CallOptions): Promise<DialStatusResult>;
}

function outOfBand(input: Pick<SendCodeInput, 'message' | 'doNotSendToTypes' | 'country'>) {
  const outofband = {
    ...(input.message !== undefined ? { message: input.message } : {}),
    ...(input.doNotSendToTypes !== undefined ? { do_not_send_to_types: input.doNotSendToTypes } : {}),
    ...(input.country !== undefined ? { country: input.country } : {}),
  };
  return Object.keys(outofband).length > 0 ? { options: { outofband } } : {};
}

/** The `target` of an identity service: the attributes given, `testKey` as `test_key`. */
function identityTarget({ testKey, ...attributes }: IdentityInput): IdentityTarget {
  const target = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as IdentityTarget;
  return testKey === undefined ? target : { ...target, test_key: testKey };
}

const vpinSuffix = (input: VerifyPhoneInput) => (input.vpin ? '.VPIN' : '');

function isErrorEnvelope(value: unknown): value is ErrorResponse {
  if (value === null || typeof value !== 'object') return false;
  const error = (value as { error?: unknown }).error;
  return (
    error !== null &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function isProcessed(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const result = (value as { result?: unknown }).result;
  return result !== null && typeof result === 'object' && typeof (result as { action?: unknown }).action === 'string';
}

function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}

interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Sorts one openapi-fetch outcome (or what it threw) into the three kinds. */
async function classify<Body>(call: () => Promise<FetchOutcome>): Promise<Processed<Body> | RequestError | Failure> {
  let outcome: FetchOutcome;
  try {
    outcome = await call();
  } catch (cause) {
    // A refused or reset connection, or a 200 whose body is not JSON (openapi-fetch parses it).
    return { kind: 'failure', status: null, error: asError(cause), headers: null };
  }
  const { response } = outcome;
  const { headers } = response;
  if (response.status === 200 && isProcessed(outcome.data)) return { kind: 'processed', status: 200, body: outcome.data as Body, headers };
  const body = response.ok ? outcome.data : outcome.error;
  if (!response.ok && isErrorEnvelope(body)) {
    return {
      kind: 'request-error',
      status: response.status,
      body,
      code: body.error.code,
      message: body.error.message,
      detail: body.error.detail,
      headers,
    };
  }
  const shown = typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? null).slice(0, 200);
  return {
    kind: 'failure',
    status: response.status,
    error: new Error(`HTTP ${response.status} with a body the PhoneMatch API does not document: ${shown}`),
    headers,
  };
}

/** The signal of one call: the client's and the call's signals and limits, whichever ends first. */
function signalFor(client: CallOptions, call: CallOptions = {}): AbortSignal | undefined {
  const signals = [client.signal, call.signal].filter((s): s is AbortSignal => s !== undefined);
  for (const ms of [client.timeoutMs, call.timeoutMs]) if (ms !== undefined) signals.push(AbortSignal.timeout(ms));
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
}

export function createPhoneMatchClient(options: PhoneMatchClientOptions): PhoneMatchClient {
  const headers = { ...options.headers, ...(options.namespace !== undefined ? { [NAMESPACE_HEADER]: options.namespace } : {}) };
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  });

  /** One request, with the client's and the call's time limit and signal. */
  const post = <Body>(path: typeof GATEWAY_PATH | typeof CONTINUE_PATH, body: unknown, call?: CallOptions) => {
    const signal = signalFor(options, call);
    // The body types are checked by each method; openapi-fetch types the union of every service's.
    return classify<Body>(() => client.POST(path, { body: body as never, ...(signal ? { signal } : {}) }));
  };

  return {
    async sendCode(input, call) {
      const body = {
        user: options.user,
        pass: options.pass,
        service: input.service ?? 'PhoneMatch5.0.SMS',
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
        ...outOfBand(input),
        target: { ...input.target, phone: input.phone },
      } as GatewayRequest; // `service` may be any string on purpose: the API's answer to it is part of the contract.
      const result = await post<GatewayResponse>(GATEWAY_PATH, body, call);
      if (result.kind !== 'processed') return result;
      return { ...result, token: result.body.continuations?.outofband.template.token ?? null };
    },

    checkCode(token, key, call) {
      return post<ContinueResponse>(CONTINUE_PATH, { token, codematch: { key } }, call);
    },

    async startSmart2fa(input, call) {
      const { reference, channel, vpin: _, message, doNotSendToTypes, country, ...person } = input;
      const body: Smart2faRequest = {
        user: options.user,
        pass: options.pass,
        service: `PhoneMatch5.0.Smart2FA.${channel === 'call' ? 'Call' : 'SMS'}${vpinSuffix(input)}` as Smart2faRequest['service'],
        ...(reference !== undefined ? { reference } : {}),
        ...outOfBand({ message, doNotSendToTypes, country }),
        target: identityTarget(person),
      };
      const result = await post<Smart2faGatewayResponse>(GATEWAY_PATH, body, call);
      if (result.kind !== 'processed') return result;
      return { ...result, token: result.body.continuations?.outofband.template.token ?? null };
    },

    checkSmart2faCode(token, key, call) {
      return post<Smart2faContinueResponse>(CONTINUE_PATH, { token, codematch: { key } }, call);
    },

    verifyPhone(input, call) {
      const { reference, vpin: _, ...person } = input;
      const body: VerificationRequest = {
        user: options.user,
        pass: options.pass,
        service: `PhoneMatch5.0${vpinSuffix(input)}` as VerificationRequest['service'],
        ...(reference !== undefined ? { reference } : {}),
        target: identityTarget(person),
      };
      return post<VerificationResponse>(GATEWAY_PATH, body, call);
    },

    validate(input, call) {
      const body: ValidateRequest = {
        user: options.user,
        pass: options.pass,
        service: 'PhoneMatch5.0.Validate',
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
        target: { phone: input.phone, ...(input.invalidLineTypes !== undefined ? { invalid_phonelinetypes: input.invalidLineTypes } : {}) },
      };
      const signal = signalFor(options, call);
      return classify<ValidateResponse>(() => client.POST(GATEWAY_PATH, { body, ...(signal ? { signal } : {}) }));
    },

    async dial(input, call) {
      const outofband = {
        ...(input.audio !== undefined ? { message: input.audio } : {}),
        ...(input.doNotSendToTypes !== undefined ? { do_not_send_to_types: input.doNotSendToTypes } : {}),
        ...(input.country !== undefined ? { country: input.country } : {}),
      };
      const body: DialerRequest = {
        user: options.user,
        pass: options.pass,
        service: 'PhoneMatch5.0.Dialer',
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
        ...(Object.keys(outofband).length > 0 ? { options: { outofband } } : {}),
        target: { phone: input.phone },
      };
      const signal = signalFor(options, call);
      const result = await classify<DialerResponse>(() => client.POST(GATEWAY_PATH, { body, ...(signal ? { signal } : {}) }));
      if (result.kind !== 'processed') return result;
      return { ...result, token: result.body.continuations?.outofband.template.token ?? null };
    },

    dialStatus(token, call) {
      const signal = signalFor(options, call);
      return classify<DialerStatusResponse>(() =>
        client.POST(CONTINUE_PATH, { body: { token, dialer: { return: 'status' } }, ...(signal ? { signal } : {}) }),
      );
    },
  };
}
