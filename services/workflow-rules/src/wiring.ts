// The one way to build the workflow-rules service from its validated settings and rules file (loaded by the
// caller with loadRules before it connects to anything, so a bad file stops the start first): the Odoo client,
// the service and its HTTP surface (/healthz, /readyz, /metrics). Its container's main.ts and the all-in-one
// `pnpm start` both call wireWorkflowRules, so the two cannot drift. No environment or process access here.
import type { Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, type Logger, type Metrics, type WiredService } from '@gassistant/runtime'
import type { WorkflowRulesSettings } from './config.js'
import type { RulesFile } from './rules.js'
import { SERVICE, createWorkflowRules } from './service.js'

export interface WorkflowRulesWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /** From loadRules(settings.WORKFLOW_RULES_FILE). */
  readonly rules: RulesFile
}

export async function wireWorkflowRules(settings: WorkflowRulesSettings, { bus, log, metrics, rules }: WorkflowRulesWiring): Promise<WiredService> {
  const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, log })
  const service = createWorkflowRules({ bus, odoo, log, metrics, rules, config: { sweepIntervalMs: settings.WORKFLOW_SWEEP_SECONDS * 1000 } })
  const http = await createHttpServer({ service: SERVICE, log, metrics, ready: () => service.readiness() })
  return {
    async start() {
      await service.start()
      return http.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      await http.close()
      await service.stop()
      odoo.close()
    },
  }
}
