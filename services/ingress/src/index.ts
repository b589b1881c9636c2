// Public surface of @gassistant/ingress: the app factory and its configuration (main.ts runs it).
export { buildApp } from './app.js'
export type { AppDeps } from './app.js'
export { EnvSchema, loadIngressEnv, parseTrustProxy } from './config.js'
export type { Env, FormCredentials, IngressConfig } from './config.js'
