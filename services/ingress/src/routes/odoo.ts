// Odoo addon webhook (odoo-addon/g_assistant_connector "Payload contract"): `{id, event, timestamp,
// database, model, record, changed, message}` signed with X-GAssistant-Signature. Lead events →
// inbound.odoo.lead.v1, `lead.message_posted` (plus its `message`) → inbound.odoo.lead.message_posted.v1,
// order events → inbound.odoo.order.v1; `test.ping` and events we do not know are acknowledged without one
// (an addon newer than the hub must not be retried forever). The event id is the addon's delivery `id`,
// the same on every retry of one change and different for two changes of one record in the same second.
// Must never publish an unsigned or replayed body (route config `signature: 'odoo'`).
import { OdooLeadMessageKind, type AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { checkAt } from '../body.js'
import { InvalidPayload } from '../errors.js'
import { Accepted, type Publisher } from '../publish.js'

const OdooId = Type.Integer({ minimum: 1 })
/** The addon sends `null` for an empty value (Odoo's `false` is converted). */
const Text = Type.Optional(Type.Union([Type.String(), Type.Null()]))
const NamedRef = Type.Optional(Type.Union([Type.Object({ id: OdooId, name: Type.String() }), Type.Null()]))
const UserRef = Type.Optional(Type.Union([Type.Object({ id: OdooId, name: Text, email: Text }), Type.Null()]))

const Payload = Type.Object({
  /** The delivery id (UUID v4), kept by the addon across its retries. */
  id: Type.String({ format: 'uuid' }),
  event: Type.String({ minLength: 1 }),
  timestamp: Type.String({ format: 'date-time' }),
  database: Type.String({ minLength: 1 }),
  model: Type.String({ minLength: 1 }),
  record: Type.Record(Type.String(), Type.Unknown()),
  changed: Type.Optional(Type.Array(Type.String())),
  message: Type.Optional(Type.Unknown()),
})

const LeadRecord = Compile(
  Type.Object({
    id: OdooId,
    name: Type.String(),
    partner_name: Text,
    contact_name: Text,
    email_from: Text,
    phone: Text,
    stage: NamedRef,
    user: UserRef,
    team: NamedRef,
    expected_revenue: Type.Optional(Type.Number()),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    source: Text,
    medium: Text,
    campaign: Text,
    gassistant_ref: Text,
    write_date: Type.String({ minLength: 1 }),
  }),
)

/** `message` of a lead.message_posted: who answered, how, when (the addon never sends the text). */
const PostedMessage = Compile(
  Type.Object({
    id: OdooId,
    kind: OdooLeadMessageKind,
    user: Type.Object({ id: OdooId, name: Text, email: Text }),
    date: Type.String({ format: 'date-time' }),
  }),
)

const OrderRecord = Compile(
  Type.Object({
    id: OdooId,
    name: Type.String(),
    state: Type.String({ minLength: 1 }),
    partner: NamedRef,
    amount_total: Type.Number(),
    currency: Text,
    opportunity_id: Type.Optional(Type.Union([OdooId, Type.Null()])),
    user: UserRef,
    validity_date: Text,
    write_date: Type.String({ minLength: 1 }),
  }),
)

const LEAD_EVENTS = ['lead.created', 'lead.updated', 'lead.stage_changed', 'lead.won', 'lead.lost'] as const
const ORDER_EVENTS = ['order.quotation_sent', 'order.confirmed', 'order.cancelled'] as const

/** Drops null/undefined/'' so optional contract fields are absent rather than empty. */
function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined && value !== '')) as never
}

function user(ref: Static<typeof UserRef> | undefined) {
  return ref ? { user: present({ id: ref.id, name: ref.name, email: ref.email }) } : {}
}

function odooEvents(body: Static<typeof Payload>, publisher: Publisher): AnyEvent[] {
  const id = `odoo:${body.id}`
  const changed = body.changed ? { changed: body.changed } : {}
  const base = { database: body.database, occurredAt: new Date(body.timestamp).toISOString() }
  if ((LEAD_EVENTS as readonly string[]).includes(body.event)) {
    if (body.model !== 'crm.lead') throw new InvalidPayload(`/model must be crm.lead for ${body.event}`)
    const r = checkAt(LeadRecord, body.record, '/record')
    const utm = present({ source: r.source, medium: r.medium, campaign: r.campaign })
    return [
      publisher.event({
        type: 'inbound.odoo.lead.v1',
        id,
        subject: `odoo:crm.lead:${r.id}`,
        data: {
          action: body.event as (typeof LEAD_EVENTS)[number],
          ...base,
          lead: {
            ...present({
              id: r.id,
              name: r.name,
              partnerName: r.partner_name,
              contactName: r.contact_name,
              email: r.email_from,
              phone: r.phone,
              expectedRevenue: r.expected_revenue,
              probability: r.probability,
              externalRef: r.gassistant_ref,
              writeDate: r.write_date,
            }),
            ...(r.stage ? { stage: r.stage } : {}),
            ...(r.team ? { team: r.team } : {}),
            ...user(r.user),
            ...(Object.keys(utm).length > 0 ? { utm } : {}),
          },
          ...changed,
        },
      }),
    ]
  }
  if (body.event === 'lead.message_posted') {
    if (body.model !== 'crm.lead') throw new InvalidPayload(`/model must be crm.lead for ${body.event}`)
    const r = checkAt(LeadRecord, body.record, '/record')
    const m = checkAt(PostedMessage, body.message, '/message')
    return [
      publisher.event({
        type: 'inbound.odoo.lead.message_posted.v1',
        id,
        subject: `odoo:crm.lead:${r.id}`,
        data: {
          database: body.database,
          occurredAt: new Date(m.date).toISOString(),
          lead: {
            ...present({ id: r.id, name: r.name, externalRef: r.gassistant_ref }),
            ...(r.stage ? { stage: r.stage } : {}),
            ...(r.team ? { team: r.team } : {}),
            ...user(r.user),
          },
          message: { id: m.id, kind: m.kind, user: present({ id: m.user.id, name: m.user.name, email: m.user.email }) },
        },
      }),
    ]
  }
  if ((ORDER_EVENTS as readonly string[]).includes(body.event)) {
    if (body.model !== 'sale.order') throw new InvalidPayload(`/model must be sale.order for ${body.event}`)
    const r = checkAt(OrderRecord, body.record, '/record')
    return [
      publisher.event({
        type: 'inbound.odoo.order.v1',
        id,
        subject: `odoo:sale.order:${r.id}`,
        data: {
          action: body.event as (typeof ORDER_EVENTS)[number],
          ...base,
          order: {
            ...present({
              id: r.id,
              name: r.name,
              state: r.state,
              amountTotal: r.amount_total,
              currency: r.currency,
              opportunityId: r.opportunity_id,
              validityDate: r.validity_date,
              writeDate: r.write_date,
            }),
            ...(r.partner ? { partner: r.partner } : {}),
            ...user(r.user),
          },
          ...changed,
        },
      }),
    ]
  }
  return []
}

export interface OdooRouteOptions {
  publisher: Publisher
}

export const odooRoutes: FastifyPluginAsyncTypebox<OdooRouteOptions> = async (app, { publisher }) => {
  const schema = { body: Payload, response: { 200: Accepted } }
  app.post('/webhooks/odoo', { config: { signature: 'odoo' }, schema }, async (request) => {
    const events = odooEvents(request.body, publisher)
    if (events.length === 0) request.log.info({ odoo_event: request.body.event }, 'odoo event acknowledged without publishing')
    return { received: true as const, ...(await publisher.publish(request, events)) }
  })
}
