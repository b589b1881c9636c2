// The ingress container: validates the environment before connecting to anything, connects the bus,
// wires the app (wiring.ts, shared with `pnpm start`), listens, shuts down on SIGTERM/SIGINT. The only
// file with side effects.
import { createAmqpBus } from '@gassistant/bus'
import { HUB_TOPOLOGY } from '@gassistant/contracts'
import { createLogger, createMetrics, onShutdown, runMain } from '@gassistant/runtime'
import { loadIngressEnv } from './config.js'
import { wireIngress } from './wiring.js'

const SERVICE = 'ingress'

await runMain(async () => {
  const { env } = loadIngressEnv()
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  // Declaring the consumers' queues up front: an event published before its consumer first started
  // would otherwise be unroutable and lost.
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: SERVICE, declare: Object.values(HUB_TOPOLOGY) })
  const ingress = await wireIngress(env, { bus, log, metrics: createMetrics(SERVICE) })
  onShutdown(
    async () => {
      await ingress.stop()
      await bus.close()
    },
    { log, deadlineMs: 10_000 },
  )
  await ingress.start()
}, { service: SERVICE })
