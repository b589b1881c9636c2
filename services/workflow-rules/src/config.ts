// The workflow-rules service's environment, as one TypeBox schema (names shared with DESIGN.md's contract).
// ODOO_PASSWORD is a secret: never logged or echoed.
import { AmqpUrl, HttpUrl, LogLevel, Port } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'

export const WorkflowRulesEnv = Type.Object({
  AMQP_URL: AmqpUrl,
  ODOO_URL: HttpUrl,
  ODOO_DB: Type.String({ minLength: 1 }),
  ODOO_USER: Type.String({ minLength: 1 }),
  ODOO_PASSWORD: Type.String({ minLength: 1 }),
  /** JSON rules file (README "Rules file"); unset: the default shipped in rules/default.json. */
  WORKFLOW_RULES_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** How often Odoo is swept for due timers, in seconds: a timer fires at most about this late. */
  WORKFLOW_SWEEP_SECONDS: Type.Integer({ minimum: 1, maximum: 60, default: 20 }),
  PORT: Port(9103),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevel,
})

export type WorkflowRulesConfig = Static<typeof WorkflowRulesEnv>

/** Everything but the broker: what the wiring reads. `pnpm start` may run the service on an in-process bus. */
export const WorkflowRulesSettings = Type.Omit(WorkflowRulesEnv, ['AMQP_URL'])
export type WorkflowRulesSettings = Static<typeof WorkflowRulesSettings>
