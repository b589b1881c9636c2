// buildApp(deps): the ingress as a Fastify instance, not listening (main.ts listens; tests inject or
// listen on port 0). Registers, in order: the TypeBox validator, the body parsers, the rate limit and the
// signature plugin, then one plugin per source; counts every answer by source, outcome and reason.
// Must never parse a webhook body before its signature is verified (plugins/signatures.ts).
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { Bus } from '@gassistant/bus'
import { createHttpServer, type Answer, type Logger, type Metrics } from '@gassistant/runtime'
import type { FastifyInstance } from 'fastify'
import { describeErrors } from './body.js'
import type { IngressConfig } from './config.js'
import { InvalidPayload } from './errors.js'
import { jsonBodies } from './plugins/body-parsers.js'
import { rateLimiting } from './plugins/rate-limit.js'
import { signatures } from './plugins/signatures.js'
import { createPublisher } from './publish.js'
import { formRoutes } from './routes/forms.js'
import { metaRoutes } from './routes/meta.js'
import { odooRoutes } from './routes/odoo.js'
import { whatsappRoutes } from './routes/whatsapp.js'
import { slackRoutes } from './routes/slack.js'
import { formCredentials, gassistantSignature, hubSignature, slackSignature } from './schemes.js'

export interface AppDeps {
  bus: Bus
  config: IngressConfig
  log: Logger
  metrics: Metrics
  /** The clock of the signature window; tests freeze it. */
  clock?: () => Date
}

/** Routes counted by source; `unknown` is every answer without a route (404s, malformed requests). */
const SOURCES: Record<string, string> = {
  '/webhooks/meta': 'meta',
  '/webhooks/whatsapp': 'whatsapp',
  '/webhooks/odoo': 'odoo',
  '/webhooks/forms/:formKey': 'forms',
  '/webhooks/slack/interactivity': 'slack',
  unknown: 'unknown',
}

/** A webhook is a few KB: even a slow sender has it all here well within 10 s (REQUEST_TIMEOUT_MS). */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000

const OUTCOMES = { ok: 'accepted', refused: 'refused', failed: 'failed' } as const

export async function buildApp({ bus, config, log, metrics, clock = () => new Date() }: AppDeps): Promise<FastifyInstance> {
  const requests = metrics.counter({
    name: 'ingress_requests_total',
    help: 'Webhook requests by source, outcome (accepted/refused/failed) and reason',
    labelNames: ['source', 'outcome', 'reason'],
  })
  const published = metrics.counter({
    name: 'ingress_events_published_total',
    help: 'Events confirmed by the broker, by type',
    labelNames: ['type'],
  })
  // Label sets repeat: keep each child counter rather than hashing the labels on every request.
  const requestCounters = new Map<string, { inc(): void }>()
  const countRequest = ({ route, status, outcome, reason }: Answer) => {
    const source = SOURCES[route]
    if (source === undefined) return
    const why = reason ?? (status < 400 ? 'published' : `http_${status}`)
    const key = `${source} ${outcome} ${why}`
    let counter = requestCounters.get(key)
    if (!counter) requestCounters.set(key, (counter = requests.labels(source, OUTCOMES[outcome], why)))
    counter.inc()
  }
  const publishedCounters = new Map<string, { inc(): void }>()
  const countPublished = (type: string) => {
    let counter = publishedCounters.get(type)
    if (!counter) publishedCounters.set(type, (counter = published.labels(type)))
    counter.inc()
  }

  const app = await createHttpServer({
    service: 'ingress',
    log,
    metrics,
    ready: async () => ({ ok: bus.isReady(), checks: { broker: bus.isReady() } }),
    onAnswer: countRequest,
    fastify: {
      trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
      bodyLimit: config.bodyLimit,
      requestTimeout: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
  })
  // Routes declare TypeBox schemas; a refused body answers 400 naming the first bad path.
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.setSchemaErrorFormatter((errors) => new InvalidPayload(describeErrors(errors)))

  // Every body is kept as raw bytes until its signature is verified; then parsed once.
  app.removeAllContentTypeParsers()
  jsonBodies(app)
  await app.register(rateLimiting, config.rateLimit)
  await app.register(signatures, {
    schemes: {
      meta: hubSignature(config.meta.appSecret),
      whatsapp: hubSignature(config.whatsapp.appSecret),
      odoo: gassistantSignature(config.odoo.webhookSecret, clock),
      form: formCredentials(config.forms, clock),
      ...(config.slack === undefined ? {} : { slack: slackSignature(config.slack.signingSecret, clock) }),
    },
  })

  const publisher = createPublisher({ bus, clock, onPublished: (events) => events.forEach((event) => countPublished(event.type)) })
  await app.register(metaRoutes, { verifyToken: config.meta.verifyToken, publisher })
  await app.register(whatsappRoutes, { verifyToken: config.whatsapp.verifyToken, publisher })
  await app.register(odooRoutes, { publisher })
  await app.register(formRoutes, { publisher, clock })
  if (config.slack !== undefined) await app.register(slackRoutes, { publisher })
  return app
}
