// The business pages and their JSON API (figures and Customer 360 from Odoo, read-only). Behind the
// session hook: this is the only place the dashboard shows personal data, and only from Odoo.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { BusinessSource, Customer360 } from '../../sources/business.js'
import type { Html } from '../html.js'
import type { Formatter } from '../i18n.js'
import { layout, type Page } from '../layout.js'
import { businessView, customerView, type Unavailable } from '../pages/business.js'
import { csrfOf, formatterFor } from './session.js'

export interface BusinessRoutesOptions {
  readonly business: BusinessSource | undefined
  readonly timeZone: string
  readonly secret: string
}

const DaysQuery = { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 365, default: 30 } } } as const
const CustomerQuery = { type: 'object', properties: { q: { type: 'string', maxLength: 120, default: '' } } } as const

export function businessRoutes(app: FastifyInstance, { business, timeZone, secret }: BusinessRoutesOptions): void {
  const page = (request: FastifyRequest, reply: FastifyReply, current: Page, body: (f: Formatter) => Html, charts = false) => {
    const f = formatterFor(request, timeZone)
    return reply.type('text/html; charset=utf-8').send(layout({ f, title: f.words[current], page: current, csrf: csrfOf(request, secret) ?? '', path: request.url, charts, body: body(f) }).text)
  }
  async function attempt<T>(request: FastifyRequest, read: (source: BusinessSource) => Promise<T>): Promise<T | Unavailable> {
    if (business === undefined) return 'off'
    try {
      return await read(business)
    } catch (error) {
      request.log.warn({ err_code: (error as { code?: string }).code }, 'Odoo could not be read')
      return 'down'
    }
  }
  const apiAnswer = <T>(reply: FastifyReply, value: T | Unavailable) => {
    if (value === 'off') return reply.code(404).send({ statusCode: 404, code: 'ODOO_OFF', message: 'business figures are not configured: set ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD' })
    if (value === 'down') return reply.code(503).send({ statusCode: 503, code: 'ODOO_UNAVAILABLE', message: 'Odoo cannot be reached' })
    return reply.send(value)
  }

  app.get('/api/business', { schema: { querystring: DaysQuery } }, async (request, reply) => {
    const { days } = request.query as { days: number }
    return apiAnswer(reply, await attempt(request, (source) => source.figures(days, timeZone)))
  })
  app.get('/business', { schema: { querystring: DaysQuery } }, async (request, reply) => {
    const { days } = request.query as { days: number }
    const figures = await attempt(request, (source) => source.figures(days, timeZone))
    return page(request, reply, 'business', (f) => businessView(f, days, figures), true)
  })
  app.get('/api/customer', { schema: { querystring: { ...CustomerQuery, required: ['q'], properties: { q: { type: 'string', minLength: 1, maxLength: 120 } } } } }, async (request, reply) => {
    const { q } = request.query as { q: string }
    const customer = await attempt(request, (source) => source.customer(q))
    if (customer === null) return reply.code(404).send({ statusCode: 404, code: 'CUSTOMER_NOT_FOUND', message: 'no partner or lead matches this phone, email or partner id' })
    return apiAnswer<Customer360>(reply, customer)
  })
  app.get('/customer', { schema: { querystring: CustomerQuery } }, async (request, reply) => {
    const q = (request.query as { q: string }).q.trim()
    const customer = q === '' ? null : await attempt(request, (source) => source.customer(q))
    return page(request, reply, 'customer', (f) => customerView(f, q, customer))
  })
}
