// Entry point of the dashboard container: validates the environment, wires the dashboard (wiring.ts, shared
// with `pnpm start`), follows DASHBOARD_LOG_FILES and/or stdin, serves the pages on PORT (9105), and shuts
// down cleanly on SIGTERM. The only file of the service with process side effects. Not a bus consumer.
import { createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { DashboardEnv } from './config.js'
import { SERVICE, wireDashboard } from './wiring.js'

await runMain(async () => {
  const env = loadConfig(DashboardEnv)
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  const dashboard = await wireDashboard(env, {
    log,
    metrics: createMetrics(SERVICE),
    stdin: process.stdin,
    ...(env.AMQP_URL === undefined ? {} : { deadLetters: { amqpUrl: env.AMQP_URL } }),
  })
  onShutdown(() => dashboard.stop(), { log })
  const url = await dashboard.start()
  log.info({ url }, 'dashboard listening')
}, { service: SERVICE })
