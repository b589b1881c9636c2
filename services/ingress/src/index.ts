// Public surface of @gassistant/ingress: its wiring (main.ts and the all-in-one hub run it), the app
// factory and its configuration.
export { buildApp } from './app.js'
export type { AppDeps } from './app.js'
export { EnvSchema, IngressSettings, loadIngressEnv, parseTrustProxy } from './config.js'
export type { Env, FormCredentials, IngressConfig } from './config.js'
export { wireIngress } from './wiring.js'
export type { IngressWiring } from './wiring.js'
export type { HubReadyTiming } from './hub-ready.js'
