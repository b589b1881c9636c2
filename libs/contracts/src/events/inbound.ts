// Events the ingress publishes: one per lead, message or Odoo change it accepted.
import Type from 'typebox'
import { eventSchema } from '../envelope.js'
import { IsoTime, NonEmpty, NumericId, OdooId, OdooNamedRef, OdooUserRef, Utm } from './common.js'

export const MetaLeadgen = eventSchema(
  'inbound.meta.leadgen.v1',
  Type.Object({
    leadgenId: NumericId,
    pageId: NumericId,
    formId: NumericId,
    adId: Type.Optional(NumericId),
    adgroupId: Type.Optional(NumericId),
    /** Unix seconds, as Meta sends `created_time` in the webhook. */
    createdTime: Type.Integer({ minimum: 0 }),
  }),
)

export const WhatsAppReferral = Type.Object({
  sourceType: Type.Optional(Type.String()),
  sourceId: Type.Optional(Type.String()),
  sourceUrl: Type.Optional(Type.String()),
  headline: Type.Optional(Type.String()),
  body: Type.Optional(Type.String()),
  mediaType: Type.Optional(Type.String()),
  ctwaClid: Type.Optional(Type.String()),
})

export const WhatsAppMessage = eventSchema(
  'inbound.whatsapp.message.v1',
  Type.Object({
    messageId: NonEmpty,
    /** The sender's WhatsApp id: their phone number in international form without '+'. */
    waId: Type.String({ pattern: '^[0-9]{6,15}$' }),
    profileName: Type.Optional(Type.String()),
    phoneNumberId: NonEmpty,
    displayPhoneNumber: Type.Optional(Type.String()),
    timestamp: IsoTime,
    messageType: NonEmpty,
    /** Text the person wrote or chose (text body, button text, interactive reply title). */
    text: Type.Optional(Type.String()),
    /** Machine id of a chosen button or list row, when the message is a reply to one. */
    replyId: Type.Optional(Type.String()),
    referral: Type.Optional(WhatsAppReferral),
  }),
)

export const FormSubmitted = eventSchema(
  'inbound.form.submitted.v1',
  Type.Object({
    formKey: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    submissionId: NonEmpty,
    submittedAt: IsoTime,
    fields: Type.Record(Type.String(), Type.String()),
    utm: Utm,
    pageUrl: Type.Optional(Type.String()),
  }),
)

export const OdooLeadAction = Type.Union([
  Type.Literal('lead.created'),
  Type.Literal('lead.updated'),
  Type.Literal('lead.stage_changed'),
  Type.Literal('lead.won'),
  Type.Literal('lead.lost'),
])

export const OdooLead = eventSchema(
  'inbound.odoo.lead.v1',
  Type.Object({
    action: OdooLeadAction,
    database: NonEmpty,
    occurredAt: IsoTime,
    lead: Type.Object({
      id: OdooId,
      name: Type.String(),
      partnerName: Type.Optional(Type.String()),
      contactName: Type.Optional(Type.String()),
      email: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
      stage: Type.Optional(OdooNamedRef),
      user: Type.Optional(OdooUserRef),
      team: Type.Optional(OdooNamedRef),
      expectedRevenue: Type.Optional(Type.Number()),
      probability: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
      utm: Type.Optional(Utm),
      externalRef: Type.Optional(Type.String()),
      writeDate: NonEmpty,
    }),
    /** Odoo field names whose change triggered the event (the addon's `changed`); absent when unknown. */
    changed: Type.Optional(Type.Array(Type.String())),
  }),
)

export const OdooOrderAction = Type.Union([
  Type.Literal('order.quotation_sent'),
  Type.Literal('order.confirmed'),
  Type.Literal('order.cancelled'),
  Type.Literal('order.updated'),
])

export const OdooOrder = eventSchema(
  'inbound.odoo.order.v1',
  Type.Object({
    action: OdooOrderAction,
    database: NonEmpty,
    occurredAt: IsoTime,
    order: Type.Object({
      id: OdooId,
      name: Type.String(),
      partner: Type.Optional(OdooNamedRef),
      state: NonEmpty,
      amountTotal: Type.Number(),
      currency: Type.Optional(Type.String()),
      opportunityId: Type.Optional(OdooId),
      user: Type.Optional(OdooUserRef),
      validityDate: Type.Optional(Type.String()),
      writeDate: NonEmpty,
    }),
    /** Odoo field names whose change triggered the event (the addon's `changed`); absent when unknown. */
    changed: Type.Optional(Type.Array(Type.String())),
  }),
)
