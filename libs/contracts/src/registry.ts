// One table from event type to schema; everything else (types, validators) is derived from it.
import type { Static } from 'typebox'
import { FormSubmitted, MetaLeadgen, OdooLead, OdooLeadMessagePosted, OdooOrder, WhatsAppMessage } from './events/inbound.js'
import { LeadRejected, LeadScored, LeadSynced } from './events/lead.js'
import { NotificationDelivered, NotificationFailed, NotificationRequested } from './events/notification.js'
import { SlackAction } from './events/slack.js'

export const EventSchemas = {
  'inbound.meta.leadgen.v1': MetaLeadgen,
  'inbound.whatsapp.message.v1': WhatsAppMessage,
  'inbound.form.submitted.v1': FormSubmitted,
  'inbound.odoo.lead.v1': OdooLead,
  'inbound.odoo.lead.message_posted.v1': OdooLeadMessagePosted,
  'inbound.odoo.order.v1': OdooOrder,
  'lead.synced.v1': LeadSynced,
  'lead.rejected.v1': LeadRejected,
  'lead.scored.v1': LeadScored,
  'notification.requested.v1': NotificationRequested,
  'notification.delivered.v1': NotificationDelivered,
  'notification.failed.v1': NotificationFailed,
  'inbound.slack.action.v1': SlackAction,
} as const

export type EventTypeName = keyof typeof EventSchemas

export const EventType = {
  MetaLeadgen: 'inbound.meta.leadgen.v1',
  WhatsAppMessage: 'inbound.whatsapp.message.v1',
  FormSubmitted: 'inbound.form.submitted.v1',
  OdooLead: 'inbound.odoo.lead.v1',
  OdooLeadMessagePosted: 'inbound.odoo.lead.message_posted.v1',
  OdooOrder: 'inbound.odoo.order.v1',
  LeadSynced: 'lead.synced.v1',
  LeadRejected: 'lead.rejected.v1',
  LeadScored: 'lead.scored.v1',
  NotificationRequested: 'notification.requested.v1',
  NotificationDelivered: 'notification.delivered.v1',
  NotificationFailed: 'notification.failed.v1',
  SlackAction: 'inbound.slack.action.v1',
} as const satisfies Record<string, EventTypeName>

/** The full envelope of an event of type T. */
export type EventOf<T extends EventTypeName> = Static<(typeof EventSchemas)[T]>
/** The `data` of an event of type T. */
export type DataOf<T extends EventTypeName> = EventOf<T>['data']
export type AnyEvent = { [T in EventTypeName]: EventOf<T> }[EventTypeName]

export function isEventType(type: string): type is EventTypeName {
  return Object.hasOwn(EventSchemas, type)
}
