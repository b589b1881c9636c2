// The ingress process: reads the environment, connects the bus, listens, shuts down on SIGTERM/SIGINT.
// The only file with side effects; everything else is built by buildApp(deps).
import { createAmqpBus } from '@gassistant/bus'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { createLogger, createMetrics, onShutdown, runMain } from '@gassistant/runtime'
import { buildApp } from './app.js'
import { loadIngressEnv } from './config.js'

await runMain(async () => {
  const { env, config } = loadIngressEnv()
  const log = createLogger({ service: 'ingress', level: env.LOG_LEVEL })
  // Declaring the consumers' queues up front: an event published before its consumer first started
  // would otherwise be unroutable and lost.
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: 'ingress', declare: Object.values(HUB_TOPOLOGY) })
  const app = await buildApp({ bus, config, log, metrics: createMetrics('ingress') })
  onShutdown(
    async () => {
      await app.close()
      await bus.close()
    },
    { log, deadlineMs: 10_000 },
  )
  await app.listen({ port: env.PORT, host: env.HOST })
}, { service: 'ingress' })
