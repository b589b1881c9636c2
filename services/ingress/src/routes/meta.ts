// Meta Lead Ads webhook (meta-lead-ads.md): the handshake, and one inbound.meta.leadgen.v1 per `leadgen`
// change of every entry. Other objects and fields are acknowledged without an event.
// Must never publish before the signature over the raw bytes is verified (route config `signature: 'meta'`).
import type { AnyEvent } from '@gassistant/contracts'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { idString, type Publisher } from '../publish.js'
import { changeValues, metaWebhook, type MetaEnvelope } from './meta-webhook.js'

/** Ids come as strings (live deliveries) or numbers (documented samples); unsafe numbers were kept as strings. */
const Id = Type.Union([Type.String({ pattern: '^[0-9]{1,30}$' }), Type.Integer({ minimum: 0 })])

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

/** Organic and preview leads carry no ad, or `0` in older captures (meta-lead-ads.md §2). */
function adId(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined
  const id = idString(value)
  return /^0+$/.test(id) ? undefined : id
}

function leadgenEvents(body: MetaEnvelope, publisher: Publisher): AnyEvent[] {
  return changeValues(body, 'page', 'leadgen', Leadgen).map((value) => {
    const leadgenId = idString(value.leadgen_id)
    const ad = adId(value.ad_id)
    const adgroup = adId(value.adgroup_id)
    return publisher.event({
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
    })
  })
}

export const metaRoutes = metaWebhook('/webhooks/meta', 'meta', leadgenEvents)
