// Entry point of the notifier container: validates the environment and the routing file before taking work,
// builds the real AMQP bus, wires the service (wiring.ts, shared with `pnpm start`), serves /healthz /readyz
// /metrics on PORT (9104), and shuts down cleanly on SIGTERM. The only file of the service with process side effects.
import { createAmqpBus } from '@gassistant/bus'
import { createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { NotifierEnv } from './config.js'
import { loadRoutes } from './routes-file.js'
import { SERVICE } from './service.js'
import { wireNotifier } from './wiring.js'

await runMain(async () => {
  const env = loadConfig(NotifierEnv)
  const routes = await loadRoutes(env.SLACK_ROUTES_FILE)
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: SERVICE })
  const service = await wireNotifier(env, { bus, log, metrics: createMetrics(SERVICE), routes })
  onShutdown(async () => {
    await service.stop()
    await bus.close({ deadlineMs: 8_000 })
  }, { log })
  await service.start()
}, { service: SERVICE })
