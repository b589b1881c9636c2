// The one way to build the lead-processor from its validated settings: the Odoo client, the Graph client,
// the processing config (mapping and do-not-call files), the per-person locks, the service and its HTTP
// surface (/healthz, /readyz, /metrics). Its container's main.ts and the all-in-one `pnpm start` both call
// wireLeadProcessor, so the two cannot drift. No environment or process access here: callers pass both in.
import type { Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, type Logger, type Metrics, type WiredService } from '@gassistant/runtime'
import type { LeadProcessorSettings } from './config.js'
import { createGraphClient } from './graph/client.js'
import { SERVICE, createLeadProcessor } from './service.js'
import { processingConfigFrom } from './settings.js'
import { createAmqpLocks } from './sync/amqp-locks.js'

export interface LeadProcessorWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /**
   * The RabbitMQ the replicas share, for cross-replica per-person locks. Unset (the in-process bus of
   * `pnpm start`, a single replica by definition): in-process locks.
   */
  readonly amqpUrl?: string
}

export async function wireLeadProcessor(settings: LeadProcessorSettings, { bus, log, metrics, amqpUrl }: LeadProcessorWiring): Promise<WiredService> {
  const config = await processingConfigFrom(settings)
  const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, log })
  const graph = createGraphClient({ baseUrl: settings.GRAPH_API_URL, appSecret: settings.META_APP_SECRET, pageTokens: () => settings.META_PAGE_TOKENS })
  const processor = createLeadProcessor({
    bus,
    odoo,
    graph,
    log,
    metrics,
    config,
    ...(amqpUrl === undefined ? {} : { locks: createAmqpLocks({ url: amqpUrl }) }),
  })
  const http = await createHttpServer({
    service: SERVICE,
    log,
    metrics,
    // The broker, and Odoo and the Graph API as last seen (Odoo probed when that is old): README "Readiness".
    ready: () => processor.readiness(),
  })

  return {
    async start() {
      await processor.start()
      return http.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      await http.close()
      await processor.stop()
      odoo.close()
    },
  }
}
