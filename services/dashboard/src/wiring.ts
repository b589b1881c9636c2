// The one way to build the dashboard from its validated settings: the log store and its sources (followed
// files, stdin), the health probes, dead letters (on AMQP_URL, or the bus `pnpm start` already has), the
// read-only Odoo client and ad spend, and the HTTP app. Its container's main.ts and `pnpm start` both call
// wireDashboard. No environment or process access here (stdin is passed in).
import type { DeadLetters } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import type { Logger, Metrics, WiredService } from '@gassistant/runtime'
import type { Readable } from 'node:stream'
import { SERVICE, buildApp } from './app.js'
import type { DashboardSettings } from './config.js'
import { LogStore } from './ingest/log-store.js'
import { followFile, readStream, type Follower } from './ingest/sources.js'
import { createBusinessSource, type BusinessSource } from './sources/business.js'
import { amqpDeadLetters, busDeadLetters, type DeadLetterSource } from './sources/dead-letters.js'
import { createHealthSource } from './sources/health.js'
import { csvSpend, insightsSpend, type SpendSource } from './sources/spend.js'

export interface DashboardWiring {
  readonly log: Logger
  readonly metrics: Metrics
  /** The store to read into; `pnpm start` passes the one its loggers already write to. */
  readonly store?: LogStore
  /** Read when DASHBOARD_LOG_STDIN is on. */
  readonly stdin?: Readable
  /** Where dead letters are: a broker URL (a container) or a bus's own (`pnpm start`'s in-process bus). */
  readonly deadLetters?: { amqpUrl: string } | { bus: DeadLetters }
}

export interface WiredDashboard extends WiredService {
  readonly store: LogStore
}

function spendSource(settings: DashboardSettings): SpendSource | undefined {
  if (settings.DASHBOARD_SPEND_CSV !== undefined) return csvSpend(settings.DASHBOARD_SPEND_CSV)
  if (settings.GRAPH_API_URL !== undefined && settings.META_AD_ACCOUNT_ID !== undefined && settings.META_ADS_TOKEN !== undefined) {
    return insightsSpend({ graphUrl: settings.GRAPH_API_URL, adAccountId: settings.META_AD_ACCOUNT_ID, token: settings.META_ADS_TOKEN, appSecret: settings.META_APP_SECRET })
  }
  return undefined
}

function businessSource(settings: DashboardSettings, log: Logger): BusinessSource | undefined {
  const { ODOO_URL: url, ODOO_DB: db, ODOO_USER: username, ODOO_PASSWORD: password } = settings
  if (url === undefined || db === undefined || username === undefined || password === undefined) return undefined
  return createBusinessSource(createOdooClient({ url, db, username, password, log }), spendSource(settings))
}

export async function wireDashboard(settings: DashboardSettings, wiring: DashboardWiring): Promise<WiredDashboard> {
  const { log, metrics } = wiring
  const store = wiring.store ?? new LogStore({ journeys: settings.DASHBOARD_MAX_JOURNEYS })
  const where = wiring.deadLetters
  const deadLetters: DeadLetterSource | undefined = where === undefined ? undefined : 'bus' in where ? busDeadLetters(where.bus) : amqpDeadLetters(where.amqpUrl)
  const business = businessSource(settings, log)
  const app = await buildApp({ settings, store, health: createHealthSource(settings.DASHBOARD_SERVICES), deadLetters, business, log, metrics })
  const followers: Follower[] = []
  const ingest = (line: string) => store.ingestLine(line)
  return {
    store,
    async start() {
      for (const path of (settings.DASHBOARD_LOG_FILES ?? '').split(',').map((name) => name.trim()).filter(Boolean)) followers.push(followFile(path, ingest))
      if (settings.DASHBOARD_LOG_STDIN && wiring.stdin !== undefined) {
        readStream(wiring.stdin, ingest).then(
          () => log.info({}, 'log stream on stdin ended'),
          (error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'log stream on stdin failed'),
        )
      }
      return app.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      for (const follower of followers) follower.stop()
      await app.close()
      await deadLetters?.close()
      business?.close()
    },
  }
}

export { SERVICE }
