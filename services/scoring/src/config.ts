// The scoring service's environment, as one TypeBox schema (names shared with DESIGN.md's contract).
// ODOO_PASSWORD is a secret: never logged or echoed.
import { AmqpUrl, HttpUrl, LogLevel, Port } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'
import { DEFAULT_DEBOUNCE_MS } from './debounce.js'

export const ScoringEnv = Type.Object({
  AMQP_URL: AmqpUrl,
  ODOO_URL: HttpUrl,
  ODOO_DB: Type.String({ minLength: 1 }),
  ODOO_USER: Type.String({ minLength: 1 }),
  ODOO_PASSWORD: Type.String({ minLength: 1 }),
  /** JSON rules file (README "Rules file"); unset: the default shipped in rules/default.json. */
  SCORING_RULES_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** How long a lead's first re-score trigger waits for more (a WhatsApp burst) before the one re-score, in ms. */
  SCORING_DEBOUNCE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: DEFAULT_DEBOUNCE_MS }),
  PORT: Port(9102),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevel,
})

export type ScoringConfig = Static<typeof ScoringEnv>

/** Everything but the broker: what the wiring reads. `pnpm start` may run the service on an in-process bus. */
export const ScoringSettings = Type.Omit(ScoringEnv, ['AMQP_URL'])
export type ScoringSettings = Static<typeof ScoringSettings>
