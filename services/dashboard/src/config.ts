// The dashboard's environment, as one TypeBox schema (shared names from DESIGN.md's contract plus its own
// DASHBOARD_*). Secrets — the password hash, the session secret, ODOO_PASSWORD, META_ADS_TOKEN, AMQP_URL's
// password — are never logged or echoed.
import { AmqpUrl, HttpUrl, LogLevel, Port } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'

const TimeZone = Type.Refine(Type.String({ default: 'Asia/Riyadh' }), (zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}, () => 'must be an IANA time zone such as Asia/Riyadh')

export const DashboardEnv = Type.Object({
  /** Log files to follow, comma-separated (e.g. files `docker compose logs` or a log shipper writes). */
  DASHBOARD_LOG_FILES: Type.Optional(Type.String({ minLength: 1 })),
  /** Read log lines from stdin too (`docker compose logs --no-log-prefix -f | …`). */
  DASHBOARD_LOG_STDIN: Type.Boolean({ default: false }),
  /** Service name → base URL whose /readyz and /metrics are shown, e.g. {"ingress":"http://ingress:8080"}. */
  DASHBOARD_SERVICES: Type.Record(Type.String(), HttpUrl, { default: {} }),
  /** scrypt hash of the admin password: `scrypt$<salt hex>$<key hex>` (README: "Sign-in"). */
  DASHBOARD_PASSWORD_HASH: Type.String({ pattern: '^scrypt\\$[0-9a-f]{32}\\$[0-9a-f]{128}$' }),
  /** Signs session cookies and CSRF tokens; 32 characters at least. */
  DASHBOARD_SESSION_SECRET: Type.String({ minLength: 32 }),
  /** Session cookies only over HTTPS (behind the TLS proxy). Turn off only for plain-HTTP local use. */
  DASHBOARD_SECURE_COOKIE: Type.Boolean({ default: true }),
  /** The team's time zone: every time on the page is shown in it. */
  DASHBOARD_TIMEZONE: TimeZone,
  /** How many recent journeys (correlation ids) are kept in memory. */
  DASHBOARD_MAX_JOURNEYS: Type.Integer({ minimum: 100, maximum: 1_000_000, default: 10_000 }),
  /** CSV of ad spend per campaign (`campaign,spend`), for cost per lead and ROAS. */
  DASHBOARD_SPEND_CSV: Type.Optional(Type.String({ minLength: 1 })),
  /** Meta ads insights (spend per campaign) through the Graph API, when all three are set. */
  GRAPH_API_URL: Type.Optional(HttpUrl),
  META_AD_ACCOUNT_ID: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  META_ADS_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  /** When set, ads insights calls carry appsecret_proof (apps with "Require App Secret"). */
  META_APP_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  /** Dead letters are listed, replayed and purged on this broker; unset: not shown. */
  AMQP_URL: Type.Optional(AmqpUrl),
  /** Business figures and Customer 360, read-only; unset: not shown. */
  ODOO_URL: Type.Optional(HttpUrl),
  ODOO_DB: Type.Optional(Type.String({ minLength: 1 })),
  ODOO_USER: Type.Optional(Type.String({ minLength: 1 })),
  ODOO_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Port(9105),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevel,
})

export type DashboardConfig = Static<typeof DashboardEnv>

/** Everything but the broker: what the wiring reads (`pnpm start` hands it the in-process bus's dead letters). */
export const DashboardSettings = Type.Omit(DashboardEnv, ['AMQP_URL'])
export type DashboardSettings = Static<typeof DashboardSettings>
