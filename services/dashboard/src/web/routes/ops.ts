// The operations pages and their JSON API: pipeline, a lead's journey, dead letters (list, replay, purge).
// Pages render on the server; `/api/*` answers the same figures as JSON. Both sit behind the session hook.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { LogStore } from '../../ingest/log-store.js'
import type { DeadLetterSource } from '../../sources/dead-letters.js'
import type { HealthSource } from '../../sources/health.js'
import type { Html } from '../html.js'
import { layout, type Page } from '../layout.js'
import { confirmView, deadLettersView, type DeadLetterState } from '../pages/dead-letters.js'
import { journeyView } from '../pages/journey.js'
import { pipelineView } from '../pages/pipeline.js'
import { csrfOf, formatterFor } from './session.js'

export interface OpsRoutesOptions {
  readonly store: LogStore
  readonly health: HealthSource
  readonly deadLetters: DeadLetterSource | undefined
  readonly timeZone: string
  readonly secret: string
  readonly onDeadLetterFailure: (error: unknown) => void
}

const MAX_QUERY = 200
const ServiceParams = { type: 'object', properties: { service: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } }, required: ['service'] } as const
const WindowQuery = { type: 'object', properties: { minutes: { type: 'integer', minimum: 1, maximum: 1440, default: 60 } } } as const
const JourneyQuery = { type: 'object', properties: { q: { type: 'string', maxLength: MAX_QUERY, default: '' } } } as const

export function opsRoutes(app: FastifyInstance, options: OpsRoutesOptions): void {
  const { store, health, deadLetters, timeZone, secret } = options

  const page = (request: FastifyRequest, reply: FastifyReply, view: { page: Page; charts?: boolean; body: (f: ReturnType<typeof formatterFor>, csrf: string) => Html }) => {
    const f = formatterFor(request, timeZone)
    const csrf = csrfOf(request, secret) ?? ''
    return reply.type('text/html; charset=utf-8').send(layout({ f, title: f.words[view.page], page: view.page, csrf, path: request.url, charts: view.charts ?? false, body: view.body(f, csrf) }).text)
  }

  async function deadLetterState(): Promise<DeadLetterState> {
    if (deadLetters === undefined) return { kind: 'off' }
    try {
      return { kind: 'listed', services: await deadLetters.list() }
    } catch (error) {
      options.onDeadLetterFailure(error)
      return { kind: 'down' }
    }
  }

  app.get('/api/pipeline', { schema: { querystring: WindowQuery } }, async (request) => {
    const { minutes } = request.query as { minutes: number }
    return { ...store.pipeline(minutes), health: await health.all() }
  })
  app.get('/', { schema: { querystring: WindowQuery } }, async (request, reply) => {
    const { minutes } = request.query as { minutes: number }
    const [figures, services] = [store.pipeline(minutes), await health.all()]
    return page(request, reply, { page: 'pipeline', charts: true, body: (f) => pipelineView(f, figures, services) })
  })

  app.get('/api/journey', { schema: { querystring: { ...JourneyQuery, required: ['q'], properties: { q: { type: 'string', minLength: 1, maxLength: MAX_QUERY } } } } }, async (request) => {
    const { q } = request.query as { q: string }
    return { query: q, journeys: store.journeys(q) }
  })
  app.get('/journey', { schema: { querystring: JourneyQuery } }, async (request, reply) => {
    const q = (request.query as { q: string }).q.trim()
    return page(request, reply, { page: 'journey', body: (f) => journeyView(f, q, q === '' ? [] : store.journeys(q)) })
  })

  app.get('/api/dead-letters', async (_request, reply) => {
    const state = await deadLetterState()
    if (state.kind === 'off') return reply.code(404).send({ statusCode: 404, code: 'DEAD_LETTERS_OFF', message: 'dead letters are not configured: set AMQP_URL' })
    if (state.kind === 'down') return reply.code(503).send({ statusCode: 503, code: 'BROKER_UNAVAILABLE', message: 'the message broker cannot be reached' })
    return { services: state.services }
  })
  app.get('/dead-letters', async (request, reply) => {
    const state = await deadLetterState()
    const notice = (request.query as Record<string, unknown>)['notice']
    return page(request, reply, { page: 'deadLetters', body: (f, csrf) => deadLettersView(f, csrf, state, typeof notice === 'string' ? notice.slice(0, 100) : undefined) })
  })

  for (const action of ['replay', 'purge'] as const) {
    // JSON: `{ "confirm": true }` is the confirmation a button click gives on the page.
    app.post(`/api/dead-letters/:service/${action}`, {
      schema: { params: ServiceParams, body: { type: 'object', properties: { confirm: { const: true } }, required: ['confirm'] } },
    }, async (request, reply) => {
      if (deadLetters === undefined) return reply.code(404).send({ statusCode: 404, code: 'DEAD_LETTERS_OFF', message: 'dead letters are not configured: set AMQP_URL' })
      const { service } = request.params as { service: string }
      const count = action === 'replay' ? await deadLetters.replay(service) : await deadLetters.purge(service)
      return { service, [action === 'replay' ? 'replayed' : 'purged']: count }
    })
    app.post(`/dead-letters/:service/${action}`, { schema: { params: ServiceParams } }, async (request, reply) => {
      const { service } = request.params as { service: string }
      const confirmed = (request.body as Record<string, unknown> | undefined)?.['confirmed'] === 'yes'
      if (!confirmed) return page(request, reply, { page: 'deadLetters', body: (f, csrf) => confirmView(f, csrf, service, action) })
      if (deadLetters === undefined) return reply.redirect('/dead-letters', 303)
      const count = action === 'replay' ? await deadLetters.replay(service) : await deadLetters.purge(service)
      const f = formatterFor(request, timeZone)
      const notice = `${service}: ${f.number(count)} ${action === 'replay' ? f.words.replayed : f.words.purged}`
      return reply.redirect(`/dead-letters?notice=${encodeURIComponent(notice)}`, 303)
    })
  }
}
