// The one way to build the scoring service from its validated settings and rules file (loaded by the caller
// with loadRules before it connects to anything, so a bad file stops the start first): the Odoo client, the
// service and its HTTP surface (/healthz, /readyz, /metrics). Its container's main.ts and the all-in-one
// `pnpm start` both call wireScoring, so the two cannot drift. No environment or process access here.
import type { Bus } from '@gassistant/bus'
import { createOdooClient } from '@gassistant/odoo'
import { createHttpServer, type Logger, type Metrics, type WiredService } from '@gassistant/runtime'
import type { ScoringSettings } from './config.js'
import type { RulesFile } from './rules.js'
import { SERVICE, createScoring } from './service.js'

export interface ScoringWiring {
  readonly bus: Bus
  readonly log: Logger
  readonly metrics: Metrics
  /** From loadRules(settings.SCORING_RULES_FILE). */
  readonly rules: RulesFile
}

export async function wireScoring(settings: ScoringSettings, { bus, log, metrics, rules }: ScoringWiring): Promise<WiredService> {
  const odoo = createOdooClient({ url: settings.ODOO_URL, db: settings.ODOO_DB, username: settings.ODOO_USER, password: settings.ODOO_PASSWORD, log })
  const scoring = createScoring({ bus, odoo, log, metrics, rules, config: { debounceMs: settings.SCORING_DEBOUNCE_MS } })
  const http = await createHttpServer({ service: SERVICE, log, metrics, ready: () => scoring.readiness() })
  return {
    async start() {
      await scoring.start()
      return http.listen({ port: settings.PORT, host: settings.HOST })
    },
    async stop() {
      await http.close()
      await scoring.stop()
      odoo.close()
    },
  }
}
