// The notifier's environment, as one TypeBox schema (names shared with DESIGN.md's contract).
// SLACK_BOT_TOKEN and ODOO_PASSWORD are secrets: never logged or echoed.
import { AmqpUrl, HttpUrl, LogLevel, Port } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'

export const NotifierEnv = Type.Object({
  AMQP_URL: AmqpUrl,
  ODOO_URL: HttpUrl,
  ODOO_DB: Type.String({ minLength: 1 }),
  ODOO_USER: Type.String({ minLength: 1 }),
  ODOO_PASSWORD: Type.String({ minLength: 1 }),
  /** Where a rep opens Odoo in a browser (the "Open in Odoo" button); may differ from ODOO_URL behind a proxy. */
  ODOO_PUBLIC_URL: HttpUrl,
  SLACK_BOT_TOKEN: Type.String({ minLength: 1 }),
  /** Slack Web API base (the stand-in in tests). */
  SLACK_API_URL: Type.Optional(HttpUrl),
  /** The last route: a channel id every notification may fall back to. */
  SLACK_DEFAULT_CHANNEL: Type.String({ minLength: 1 }),
  /** JSON file mapping salespeople and sales teams to Slack (README "Routing"); unset: Slack lookups only, no team channels. */
  SLACK_ROUTES_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Pause between two posts in one channel (Slack allows about one message per second per channel). */
  SLACK_CHANNEL_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1_100 }),
  PORT: Port(9104),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevel,
})

export type NotifierConfig = Static<typeof NotifierEnv>

/** Everything but the broker: what the wiring reads. `pnpm start` may run the service on an in-process bus. */
export const NotifierSettings = Type.Omit(NotifierEnv, ['AMQP_URL'])
export type NotifierSettings = Static<typeof NotifierSettings>

/** Slack's public Web API. */
export const SLACK_PUBLIC_API_URL = 'https://slack.com/api/'
