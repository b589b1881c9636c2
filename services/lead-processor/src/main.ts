// Entry point of the lead-processor container: validates the environment before connecting to anything,
// builds the real AMQP bus, wires the service (wiring.ts, shared with `pnpm start`), serves /healthz
// /readyz /metrics on PORT (9101), and shuts down cleanly on SIGTERM. The only file of the service with
// process side effects.
import { createAmqpBus } from '@gassistant/bus'
import { createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { LeadProcessorEnv } from './config.js'
import { SERVICE } from './service.js'
import { wireLeadProcessor } from './wiring.js'

await runMain(async () => {
  const env = loadConfig(LeadProcessorEnv)
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: SERVICE })
  const service = await wireLeadProcessor(env, { bus, log, metrics: createMetrics(SERVICE), amqpUrl: env.AMQP_URL })
  onShutdown(async () => {
    await service.stop()
    await bus.close({ deadlineMs: 8_000 })
  }, { log })
  await service.start()
}, { service: SERVICE })
