// buildApp: the dashboard's HTTP surface on the runtime's server (/healthz, /readyz, /metrics, JSON errors,
// one log line per answer): cookies and form bodies, the session hook, then the assets, the operations
// pages and API, and the business pages and API. Pages get a content security policy that allows only
// this origin's scripts and styles (Chart.js included), never inline scripts.
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import { createHttpServer, type Logger, type Metrics } from '@gassistant/runtime'
import type { FastifyInstance } from 'fastify'
import type { DashboardSettings } from './config.js'
import type { LogStore } from './ingest/log-store.js'
import type { BusinessSource } from './sources/business.js'
import type { DeadLetterSource } from './sources/dead-letters.js'
import type { HealthSource } from './sources/health.js'
import { assetRoutes } from './web/routes/assets.js'
import { businessRoutes } from './web/routes/business.js'
import { opsRoutes } from './web/routes/ops.js'
import { sessionRoutes } from './web/routes/session.js'

export const SERVICE = 'dashboard'

export interface DashboardDeps {
  readonly settings: Pick<DashboardSettings, 'DASHBOARD_PASSWORD_HASH' | 'DASHBOARD_SESSION_SECRET' | 'DASHBOARD_SECURE_COOKIE' | 'DASHBOARD_TIMEZONE'>
  readonly store: LogStore
  readonly health: HealthSource
  readonly deadLetters: DeadLetterSource | undefined
  readonly business: BusinessSource | undefined
  readonly log: Logger
  readonly metrics: Metrics
  readonly now?: () => number
}

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export async function buildApp(deps: DashboardDeps): Promise<FastifyInstance> {
  const { settings, store, log, metrics } = deps
  const now = deps.now ?? Date.now
  metrics.gauge({
    name: 'dashboard_log_lines',
    help: 'Log lines read since start, by whether they were a service log line (read) or not (skipped)',
    labelNames: ['kind'],
    collect() {
      const { lines, skipped } = store.counts()
      this.set({ kind: 'read' }, lines)
      this.set({ kind: 'skipped' }, skipped)
    },
  })
  const app = await createHttpServer({ service: SERVICE, log, metrics, ready: async () => ({ ok: true, checks: {} }) })
  app.addHook('onRequest', async (_request, reply) => {
    void reply.header('content-security-policy', PAGE_POLICY)
  })
  await app.register(cookie, { secret: settings.DASHBOARD_SESSION_SECRET })
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  // One plugin scope for everything behind the session hook.
  await app.register(async (scope) => {
    sessionRoutes(scope, { passwordHash: settings.DASHBOARD_PASSWORD_HASH, secret: settings.DASHBOARD_SESSION_SECRET, secureCookie: settings.DASHBOARD_SECURE_COOKIE, timeZone: settings.DASHBOARD_TIMEZONE, now })
    await assetRoutes(scope)
    opsRoutes(scope, {
      store,
      health: deps.health,
      deadLetters: deps.deadLetters,
      timeZone: settings.DASHBOARD_TIMEZONE,
      secret: settings.DASHBOARD_SESSION_SECRET,
      onDeadLetterFailure: (error) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'dead letters could not be read'),
    })
    businessRoutes(scope, { business: deps.business, timeZone: settings.DASHBOARD_TIMEZONE, secret: settings.DASHBOARD_SESSION_SECRET })
  })
  return app
}
