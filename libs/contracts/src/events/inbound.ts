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

/** How a user answered a lead (the addon's `message.kind`). */
export const OdooLeadMessageKind = Type.Union([
  Type.Literal('message'),
  Type.Literal('note'),
  Type.Literal('email'),
  Type.Literal('activity_done'),
])

/**
 * A user of Odoo answered a lead: sent a message, logged a note, replied by email or marked an activity done
 * (the addon's `lead.message_posted`; never its hub user, OdooBot or a customer). A type of its own rather than
 * a new `action` of inbound.odoo.lead.v1: consumers validate `action` against a closed list, so a new value
 * would be parked by every consumer built on the previous contract, and the fact differs (an answer, not a
 * lead's new state). Carries who, how and when, never the text: personal data stays in Odoo.
 */
export const OdooLeadMessagePosted = eventSchema(
  'inbound.odoo.lead.message_posted.v1',
  Type.Object({
    database: NonEmpty,
    /** When the message was posted. */
    occurredAt: IsoTime,
    lead: Type.Object({
      id: OdooId,
      name: Type.String(),
      stage: Type.Optional(OdooNamedRef),
      /** The lead's salesperson, to tell "the owner answered" from "someone else did". */
      user: Type.Optional(OdooUserRef),
      team: Type.Optional(OdooNamedRef),
      externalRef: Type.Optional(Type.String()),
    }),
    message: Type.Object({
      /** The mail.message id: one event per message. */
      id: OdooId,
      kind: OdooLeadMessageKind,
      /** Who answered. */
      user: OdooUserRef,
    }),
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
