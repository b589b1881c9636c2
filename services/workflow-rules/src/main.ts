// Entry point of the workflow-rules container: validates the environment and the rules file before taking
// work, builds the real AMQP bus, wires the service (wiring.ts, shared with `pnpm start`), serves /healthz
// /readyz /metrics on PORT (9103), and shuts down cleanly on SIGTERM. The only file of the service with process side effects.
import { createAmqpBus } from '@gassistant/bus'
import { createLogger, createMetrics, loadConfig, onShutdown, runMain } from '@gassistant/runtime'
import { WorkflowRulesEnv } from './config.js'
import { loadRules } from './rules.js'
import { SERVICE } from './service.js'
import { wireWorkflowRules } from './wiring.js'

await runMain(async () => {
  const env = loadConfig(WorkflowRulesEnv)
  const rules = await loadRules(env.WORKFLOW_RULES_FILE)
  const log = createLogger({ service: SERVICE, level: env.LOG_LEVEL })
  const bus = await createAmqpBus({ url: env.AMQP_URL, log, connectionName: SERVICE })
  const service = await wireWorkflowRules(env, { bus, log, metrics: createMetrics(SERVICE), rules })
  onShutdown(async () => {
    await service.stop()
    await bus.close({ deadlineMs: 8_000 })
  }, { log })
  await service.start()
}, { service: SERVICE })
