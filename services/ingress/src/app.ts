// buildApp(deps): the ingress as a Fastify instance, not listening (main.ts listens; tests inject or
// listen on port 0). Owns the raw-body parsing, the rate limit and the accepted/refused counters.
// Must never parse a webhook body before its signature is verified: parsers here keep raw bytes only.
import rateLimit from '@fastify/rate-limit'
import type { Bus } from '@gassistant/bus'
import { createHttpServer, type Logger, type Metrics } from '@gassistant/runtime'
import type { FastifyInstance } from 'fastify'
import type { IngressConfig } from './config.js'
import { RateLimited } from './errors.js'
import { createPublisher } from './publish.js'
import { formRoutes } from './routes/forms.js'
import { metaRoutes } from './routes/meta.js'
import { odooRoutes } from './routes/odoo.js'
import { whatsappRoutes } from './routes/whatsapp.js'

export interface AppDeps {
  bus: Bus
  config: IngressConfig
  log: Logger
  metrics: Metrics
  /** The clock of the signature window; tests freeze it. */
  clock?: () => Date
}

const SOURCES: Record<string, string> = {
  '/webhooks/meta': 'meta',
  '/webhooks/whatsapp': 'whatsapp',
  '/webhooks/odoo': 'odoo',
  '/webhooks/forms/:formKey': 'forms',
}

export async function buildApp({ bus, config, log, metrics, clock = () => new Date() }: AppDeps): Promise<FastifyInstance> {
  const app = await createHttpServer({
    service: 'ingress',
    log,
    metrics,
    ready: async () => ({ ok: bus.isReady(), checks: { broker: bus.isReady() } }),
    fastify: { trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false, bodyLimit: config.bodyLimit },
  })

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
  const publisher = createPublisher({ bus, clock, onPublished: (events) => events.forEach((event) => published.inc({ type: event.type })) })

  // Every body stays raw bytes: signatures cover the exact bytes, and Meta's big ids need a lossless parse.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body)
  })

  await app.register(async (webhooks) => {
    await webhooks.register(rateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      // request.ip is the socket address unless the hop is in TRUST_PROXY: then the first untrusted X-Forwarded-For entry.
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => new RateLimited(context.after),
    })
    webhooks.addHook('onResponse', async (request, reply) => {
      const source = SOURCES[request.routeOptions.url ?? ''] ?? 'unknown'
      const status = reply.statusCode
      const outcome = status < 400 ? 'accepted' : status < 500 ? 'refused' : 'failed'
      requests.inc({ source, outcome, reason: request.outcomeReason ?? (status < 400 ? 'published' : `http_${status}`) })
    })
    await webhooks.register(metaRoutes, { ...config.meta, publisher })
    await webhooks.register(whatsappRoutes, { ...config.whatsapp, publisher })
    await webhooks.register(odooRoutes, { webhookSecret: config.odoo.webhookSecret, publisher, clock })
    await webhooks.register(formRoutes, { forms: config.forms, publisher, clock })
  })

  return app
}
