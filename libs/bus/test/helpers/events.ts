// Valid events for bus tests, built through the contracts lib as a real publisher would.
import { createEvent, EventType, type EventOf } from '@gassistant/contracts'

let counter = 0

/** A lead.synced event with Arabic text, so every test also proves text survives the hop. */
export function leadSynced(id = `evt-${process.pid}-${++counter}`): EventOf<'lead.synced.v1'> {
  return createEvent({
    type: EventType.LeadSynced,
    source: '/lead-processor',
    id,
    subject: 'meta:2100000000000001',
    data: {
      outcome: 'created',
      leadId: 42,
      externalRef: 'meta:2100000000000001',
      channel: 'meta',
      sourceEventId: 'meta:2100000000000001',
      flags: [],
      lead: { name: 'طلب عرض سعر — فيلا الرياض', contactName: 'محمد عبدالله القحطاني', city: 'الرياض' },
    },
  })
}

export function metaLeadgen(id = `meta:${Date.now()}${++counter}`): EventOf<'inbound.meta.leadgen.v1'> {
  return createEvent({
    type: EventType.MetaLeadgen,
    source: '/ingress',
    id,
    data: { leadgenId: '2100000000000001', pageId: '104857600112233', formId: '987654321098765', createdTime: 1767868290 },
  })
}
