// Public surface of @gassistant/dashboard: its settings, its wiring (for `pnpm start`), the log store and
// the password hashing an operator needs to configure DASHBOARD_PASSWORD_HASH.
export { DashboardEnv, DashboardSettings } from './config.js'
export type { DashboardConfig } from './config.js'
export { SERVICE, wireDashboard } from './wiring.js'
export type { DashboardWiring, WiredDashboard } from './wiring.js'
export { LogStore } from './ingest/log-store.js'
export { hashPassword, verifyPassword } from './auth.js'
