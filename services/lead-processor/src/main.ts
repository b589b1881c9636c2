// Entry point of the lead-processor container: reads the environment, builds the real AMQP bus, Odoo
// client, Graph client and cross-replica locks, serves /healthz /readyz /metrics on PORT (9101), and
// shuts down cleanly on SIGTERM. The only file of the service with process side effects.
import { createAmqpBus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { LeadProcessorEnv } from './config.js'
import { createGraphClient } from './graph/client.js'
import { SERVICE, createLeadProcessor } from './service.js'
import { processingConfigFrom } from './settings.js'
import { createAmqpLocks } from './sync/amqp-locks.js'

await runMain(async () => {
  const env = loadConfig(LeadProcessorEnv)
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  const metrics = createMetrics(SERVICE)
  const config = await processingConfigFrom(env)
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: SERVICE })
  const odoo = createOdooClient({ url: env.ODOO_URL, db: env.ODOO_DB, username: env.ODOO_USER, password: env.ODOO_PASSWORD, log })
  const graph = createGraphClient({ baseUrl: env.GRAPH_API_URL, appSecret: env.META_APP_SECRET, pageTokens: () => env.META_PAGE_TOKENS })
  const locks = createAmqpLocks({ url: env.AMQP_URL })
  const processor = createLeadProcessor({ bus, odoo, graph, log, metrics, locks, config })

  const http = await createHttpServer({
    service: SERVICE,
    log,
    metrics,
    ready: () => processor.readiness(),
  })
  await processor.start()
  await http.listen({ port: env.PORT, host: env.HOST })
  onShutdown(async () => {
    await http.close()
    await processor.stop()
    await bus.close({ deadlineMs: 8_000 })
    odoo.close()
  }, { log })
}, { service: SERVICE })
