// The ingress's environment (DESIGN.md "Configuration contract"), validated at start by the runtime.
// Must never hold a default for a secret: a missing secret stops the service.
import { isIP } from 'node:net'
import { AmqpUrl, ConfigError, HttpUrl, LogLevel, Port, loadConfig } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'

const Secret = Type.String({ minLength: 8 })

export const EnvSchema = Type.Object({
  META_APP_SECRET: Secret,
  META_VERIFY_TOKEN: Type.String({ minLength: 1 }),
  WHATSAPP_APP_SECRET: Type.Optional(Secret),
  WHATSAPP_VERIFY_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  ODOO_WEBHOOK_SECRET: Secret,
  /** The addon's `/gassistant/hub-ready`: called, signed with ODOO_WEBHOOK_SECRET, once the ingress listens. Unset: not called. */
  ODOO_HUB_READY_URL: Type.Optional(HttpUrl),
  /** Signs Slack's interaction posts (the Slack app's Signing Secret, not the bot token). Unset: no Slack route. */
  SLACK_SIGNING_SECRET: Type.Optional(Secret),
  /** JSON: form key → `{ secret?, apiKey? }` (HMAC-signed browser posts, or an API key for server posts). */
  FORM_SECRETS: Type.Record(
    Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    Type.Object({ secret: Type.Optional(Secret), apiKey: Type.Optional(Secret) }, { additionalProperties: false }),
    { default: {} },
  ),
  /** Required: a container must never publish to a broker it guessed. Only `pnpm start` may go without one. */
  AMQP_URL: AmqpUrl,
  PORT: Port(8080),
  HOST: Type.String({ default: '0.0.0.0' }),
  /** Comma-separated IPs/CIDRs of the reverse proxies whose X-Forwarded-For we believe; unset: none. */
  TRUST_PROXY: Type.String({ default: '' }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  /** The whole request, headers and body, must arrive within this (a body trickling in is cut with a 408). */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 300_000, default: 10_000 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  LOG_LEVEL: LogLevel,
})
export type Env = Static<typeof EnvSchema>

/** Everything but the broker: what the wiring reads. `pnpm start` may run the ingress on an in-process bus. */
export const IngressSettings = Type.Omit(EnvSchema, ['AMQP_URL'])
export type IngressSettings = Static<typeof IngressSettings>

export interface FormCredentials {
  secret?: string
  apiKey?: string
}

/** What buildApp needs; main.ts builds it from the environment, tests write it directly. */
export interface IngressConfig {
  meta: { appSecret: string; verifyToken: string }
  whatsapp: { appSecret: string; verifyToken: string }
  odoo: { webhookSecret: string }
  forms: Record<string, FormCredentials>
  /** Slack's Interactivity Request URL `/webhooks/slack/interactivity` exists only with a signing secret. */
  slack?: { signingSecret: string }
  /** IPs/CIDRs (never a hop count: a count trusts whatever the client prepends). Empty: trust none. */
  trustProxy: string[]
  bodyLimit: number
  /** Headers and body must arrive within this; a slower request is cut with a 408 (default 10 000). */
  requestTimeoutMs?: number
  rateLimit: { max: number; windowMs: number }
}

/** Accepts `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`. */
function isIpOrCidr(entry: string): boolean {
  const [ip = '', prefix, ...rest] = entry.split('/')
  const version = isIP(ip)
  if (version === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128)
}

export function parseTrustProxy(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean)
  for (const entry of entries) {
    if (!isIpOrCidr(entry)) throw new ConfigError('TRUST_PROXY', 'must be a comma-separated list of IP addresses or CIDR ranges')
  }
  return entries
}

/** The validated settings as buildApp's config; refuses a form with neither a secret nor an API key. */
export function ingressConfigFrom(values: IngressSettings): IngressConfig {
  for (const [key, credentials] of Object.entries(values.FORM_SECRETS)) {
    if (!credentials.secret && !credentials.apiKey) throw new ConfigError('FORM_SECRETS', `form ${key} needs a secret or an apiKey`)
  }
  return {
    meta: { appSecret: values.META_APP_SECRET, verifyToken: values.META_VERIFY_TOKEN },
    whatsapp: {
      appSecret: values.WHATSAPP_APP_SECRET ?? values.META_APP_SECRET,
      verifyToken: values.WHATSAPP_VERIFY_TOKEN ?? values.META_VERIFY_TOKEN,
    },
    odoo: { webhookSecret: values.ODOO_WEBHOOK_SECRET },
    forms: values.FORM_SECRETS,
    ...(values.SLACK_SIGNING_SECRET === undefined ? {} : { slack: { signingSecret: values.SLACK_SIGNING_SECRET } }),
    trustProxy: parseTrustProxy(values.TRUST_PROXY),
    bodyLimit: values.BODY_LIMIT,
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    rateLimit: { max: values.RATE_LIMIT_MAX, windowMs: values.RATE_LIMIT_WINDOW_MS },
  }
}

export function loadIngressEnv(env: Record<string, string | undefined> = process.env): { env: Env; config: IngressConfig } {
  const values = loadConfig(EnvSchema, env)
  return { env: values, config: ingressConfigFrom(values) }
}
