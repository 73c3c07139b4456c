/**
 * The package's programmatic API.
 */
export { type BuildOptions, buildApp } from './app.js';
export { DEFAULT_CONFIG, type MockConfig, resolveConfig } from './config.js';
export { ERRORS, PhoneMatchError } from './domain/errors.js';
export { listen, type RunningServer } from './server.js';
export type { ContinueRequest, ContinueResponse, GatewayRequest, GatewayResponse } from './simulator.js';
export { Simulator } from './simulator.js';
