/**
 * The package's programmatic API.
 */
export { type BuildOptions, buildApp } from './app.js';
export type { CliOptions, MockOptions } from './cli-options.js';
export {
  type CallOptions,
  type CheckCodeResult,
  createPhoneMatchClient,
  NAMESPACE_HEADER,
  type PhoneMatchClient,
  type PhoneMatchClientOptions,
  type SendCodeInput,
  type SendCodeResult,
} from './client/index.js';
export { ConfigError, DEFAULT_CONFIG, type MockConfig, resolveConfig } from './config.js';
// The provider-state catalogue; `verify` itself (it loads Pact) is the CLI's `phonematch-mock verify`.
export { applyState, knownStates, ProviderStateError, ProviderStates, STATE_CATALOGUE } from './contracts/states.js';
export { ERRORS, PhoneMatchError } from './domain/errors.js';
export { listen, type RunningServer } from './server.js';
export type { ContinueRequest, ContinueResponse, GatewayRequest, GatewayResponse } from './simulator.js';
export { Simulator } from './simulator.js';
export {
  type ConnectOptions,
  connectMock,
  DEFAULT_WAIT_MS,
  type MessageQuery,
  type MockActivation,
  type MockControl,
  MockControlError,
  type MockMessage,
  type MockRequest,
  type MockScenarioList,
  type MockTransaction,
  type NamespaceOption,
  type RequestQuery,
  type RunningMock,
  type StartOptions,
  startMock,
  type WaitOptions,
} from './start.js';
