// Public surface of @gassistant/test-support: the shared fixtures, waiting for a condition, and running an
// entry point as a user would. For tests, benchmarks and local tools; never imported by a service's src.
export { FIXTURES_DIR, fixtureBytes, fixtureJson, fixtureText } from './fixtures.js'
export { waitFor } from './wait.js'
export { rabbitVhost, rabbitmqctl } from './rabbit.js'
export type { RabbitVhost } from './rabbit.js'
export { checkRefusedStarts, runScript, startScript } from './scripts.js'
export type { RefusedStart, ScriptResult, RunningScript } from './scripts.js'
