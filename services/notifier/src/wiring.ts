// The one way to build the notifier from its validated settings and routing file (loaded by the caller with
// loadRoutes before it connects to anything, so a bad file stops the start first): the Odoo and Slack clients,
// the service and its HTTP surface (/healthz, /readyz, /metrics). Its container's main.ts and the all-in-one
// `pnpm start` both call wireNotifier, so the two cannot drift. No environment or process access here.
import type { Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, type Logger, type Metrics, type WiredService } from '@gassistant/runtime'
import { SLACK_PUBLIC_API_URL, type NotifierSettings } from './config.js'
import type { RoutesFile } from './routes-file.js'
import { SERVICE, createNotifier } from './service.js'
import { createSlack } from './slack.js'

export interface NotifierWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /** From loadRoutes(settings.SLACK_ROUTES_FILE). */
  readonly routes: RoutesFile
}

export async function wireNotifier(settings: NotifierSettings, { bus, log, metrics, routes }: NotifierWiring): Promise<WiredService> {
  const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, log })
  const slack = createSlack({ token: settings.SLACK_BOT_TOKEN, apiUrl: settings.SLACK_API_URL ?? SLACK_PUBLIC_API_URL, log })
  const notifier = createNotifier({
    bus, odoo, slack, log, metrics, routes,
    config: { defaultChannel: settings.SLACK_DEFAULT_CHANNEL, odooPublicUrl: settings.ODOO_PUBLIC_URL, channelIntervalMs: settings.SLACK_CHANNEL_INTERVAL_MS },
  })
  const http = await createHttpServer({ service: SERVICE, log, metrics, ready: () => notifier.readiness() })
  return {
    async start() {
      await notifier.start()
      return http.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      await http.close()
      await notifier.stop()
      odoo.close()
    },
  }
}
