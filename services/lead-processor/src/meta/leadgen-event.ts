// The inbound.meta.leadgen.v1 event a lead read from the Graph API stands for: the very event the ingress
// publishes for that lead's webhook (services/ingress/src/routes/meta.ts) — same id `meta:<leadgen_id>`, same
// data — so the lead-processor handles a reconciled lead exactly as a webhook's, and one it already has is a
// redelivery (no Graph read, nothing written). Pure.
import { createEvent, type EventOf } from '@gassistant/contracts'
import type { GraphLead } from '../graph/types.js'

export const RECONCILE_SOURCE = '/lead-processor/meta-reconcile'

/** Organic and preview leads carry no ad (or `0`, meta-lead-ads.md §2): the webhook then has no ad id either. */
const adId = (id: string | undefined): string | undefined => (id === undefined || id === '' || /^0+$/.test(id) ? undefined : id)

export function leadgenEvent(lead: GraphLead, pageId: string, formId: string): EventOf<'inbound.meta.leadgen.v1'> {
  const ad = adId(lead.ad_id)
  const createdMs = lead.created_time === undefined ? Number.NaN : new Date(lead.created_time).getTime()
  return createEvent({
    type: 'inbound.meta.leadgen.v1',
    source: RECONCILE_SOURCE,
    id: `meta:${lead.id}`,
    subject: `meta:${lead.id}`,
    data: {
      leadgenId: lead.id,
      pageId,
      formId: lead.form_id ?? formId,
      // The webhook's adgroup_id is the ad id under Meta's old name (meta-lead-ads.md §2).
      ...(ad === undefined ? {} : { adId: ad, adgroupId: ad }),
      createdTime: Number.isFinite(createdMs) ? Math.floor(createdMs / 1000) : 0,
    },
  })
}
