// Meta Lead Ads webhook (meta-lead-ads.md): the handshake, and one inbound.meta.leadgen.v1 per `leadgen`
// change of every entry. Other objects and fields are acknowledged without an event.
// Must never publish before the signature over the raw bytes is verified.
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { describeErrors, parseJson } from '../body.js'
import { InvalidPayload } from '../errors.js'
import { idString, type Publisher } from '../publish.js'
import { verifyHubSignature } from '../signature.js'
import { handshake } from './handshake.js'
import { rawBody, requireJson } from './raw.js'

/** Ids come as strings (live deliveries) or numbers (documented samples); unsafe numbers were kept as strings. */
const Id = Type.Union([Type.String({ pattern: '^[0-9]{1,30}$' }), Type.Integer({ minimum: 0 })])

const Envelope = Compile(
  Type.Object({
    object: Type.String(),
    entry: Type.Array(
      Type.Object({
        changes: Type.Optional(Type.Array(Type.Object({ field: Type.String(), value: Type.Optional(Type.Unknown()) }))),
      }),
    ),
  }),
)

const Leadgen = Compile(
  Type.Object({
    leadgen_id: Id,
    page_id: Id,
    form_id: Id,
    ad_id: Type.Optional(Id),
    adgroup_id: Type.Optional(Id),
    created_time: Type.Integer({ minimum: 0 }),
  }),
)

export interface MetaRouteOptions {
  appSecret: string
  verifyToken: string
  publisher: Publisher
}

/** Organic and preview leads carry no ad, or `0` in older captures (meta-lead-ads.md §2). */
function adId(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined
  const id = idString(value)
  return /^0+$/.test(id) ? undefined : id
}

export function leadgenEvents(body: unknown, publisher: Publisher): AnyEvent[] {
  if (!Envelope.Check(body)) throw new InvalidPayload(describeErrors(Envelope.Errors(body)))
  if (body.object !== 'page') return []
  const events: AnyEvent[] = []
  body.entry.forEach((entry, e) => {
    entry.changes?.forEach((change, c) => {
      if (change.field !== 'leadgen') return
      const value = change.value
      if (!Leadgen.Check(value)) {
        throw new InvalidPayload(`/entry/${e}/changes/${c}/value${describeErrors(Leadgen.Errors(value)).replace(/^body/, '')}`)
      }
      const leadgenId = idString(value.leadgen_id)
      const ad = adId(value.ad_id)
      const adgroup = adId(value.adgroup_id)
      events.push(
        publisher.event({
          type: 'inbound.meta.leadgen.v1',
          id: `meta:${leadgenId}`,
          subject: `meta:${leadgenId}`,
          data: {
            leadgenId,
            pageId: idString(value.page_id),
            formId: idString(value.form_id),
            ...(ad === undefined ? {} : { adId: ad }),
            ...(adgroup === undefined ? {} : { adgroupId: adgroup }),
            createdTime: value.created_time,
          },
        }),
      )
    })
  })
  return events
}

export const metaRoutes: FastifyPluginAsync<MetaRouteOptions> = async (app, { appSecret, verifyToken, publisher }) => {
  app.get('/webhooks/meta', handshake(verifyToken))
  app.post('/webhooks/meta', async (request) => {
    requireJson(request)
    const raw = rawBody(request)
    verifyHubSignature(raw, request.headers, appSecret)
    const events = leadgenEvents(parseJson(raw), publisher)
    return { received: true, ...(await publisher.publish(request, events)) }
  })
}
