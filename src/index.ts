/**
 * The package's programmatic API.
 */
export { type BuildOptions, buildApp } from './app.js';
export {
  type CheckCodeResult,
  type CheckSmart2faCodeResult,
  createPhoneMatchClient,
  type IdentityInput,
  type PhoneMatchClient,
  type PhoneMatchClientOptions,
  type SendCodeInput,
  type SendCodeResult,
  type Smart2faInput,
  type StartSmart2faResult,
  type VerifyPhoneInput,
  type VerifyPhoneResult,
} from './client/index.js';
export { DEFAULT_CONFIG, type MockConfig, resolveConfig } from './config.js';
// The provider-state catalogue; `verify` itself (it loads Pact) is the CLI's `phonematch-mock verify`.
export { applyState, knownStates, ProviderStateError, ProviderStates, STATE_CATALOGUE } from './contracts/states.js';
export { ERRORS, PhoneMatchError } from './domain/errors.js';
export { listen, type RunningServer } from './server.js';
export type { ContinueRequest, ContinueResponse, GatewayRequest, GatewayResponse } from './simulator.js';
export { Simulator } from './simulator.js';
export {
  type ConnectOptions,
  connectMock,
  type MessageQuery,
  type MockActivation,
  type MockControl,
  MockControlError,
  type MockMessage,
  type MockScenarioList,
  type MockTransaction,
  type NamespaceOption,
  type RunningMock,
  type StartOptions,
  startMock,
  type WaitOptions,
} from './start.js';
