// Events about leads as Odoo holds them: synced by the lead-processor, rejected, scored.
import Type from 'typebox'
import { eventSchema } from '../envelope.js'
import { LeadChannel, NonEmpty, OdooId } from './common.js'

export const LeadFlag = Type.Union([
  Type.Literal('INVALID_EMAIL'),
  Type.Literal('INVALID_PHONE'),
  Type.Literal('DISPOSABLE_EMAIL'),
  Type.Literal('DO_NOT_CALL'),
  Type.Literal('TEST_LEAD'),
  Type.Literal('REPEAT_ENQUIRY'),
])

export const LeadSynced = eventSchema(
  'lead.synced.v1',
  Type.Object({
    outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('merged')]),
    leadId: OdooId,
    partnerId: Type.Optional(OdooId),
    externalRef: NonEmpty,
    channel: LeadChannel,
    /** The inbound event this sync came from. */
    sourceEventId: NonEmpty,
    flags: Type.Array(LeadFlag),
    lead: Type.Object({
      name: Type.String(),
      contactName: Type.Optional(Type.String()),
      email: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
      city: Type.Optional(Type.String()),
      countryCode: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
      companyName: Type.Optional(Type.String()),
      userId: Type.Optional(OdooId),
      teamId: Type.Optional(OdooId),
      utmSource: Type.Optional(Type.String()),
      utmMedium: Type.Optional(Type.String()),
      utmCampaign: Type.Optional(Type.String()),
    }),
  }),
)

export const RejectionReason = Type.Object({
  code: Type.Union([
    Type.Literal('NO_CONTACT'),
    Type.Literal('TEST_LEAD'),
    Type.Literal('INVALID_PAYLOAD'),
    Type.Literal('NOT_FOUND'),
  ]),
  message: NonEmpty,
})

export const LeadRejected = eventSchema(
  'lead.rejected.v1',
  Type.Object({
    channel: LeadChannel,
    externalRef: Type.Optional(NonEmpty),
    sourceEventId: NonEmpty,
    reasons: Type.Array(RejectionReason, { minItems: 1 }),
    flags: Type.Array(LeadFlag),
  }),
)

export const ScoreTier = Type.Union([Type.Literal('hot'), Type.Literal('warm'), Type.Literal('cold')])

export const LeadScored = eventSchema(
  'lead.scored.v1',
  Type.Object({
    leadId: OdooId,
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    previousScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    tier: ScoreTier,
    /** The tier before this score (absent on a lead's first score): a change of tier is what a rep is told about. */
    previousTier: Type.Optional(ScoreTier),
    breakdown: Type.Array(
      Type.Object({
        rule: NonEmpty,
        points: Type.Number(),
        /** English. */
        reason: Type.String(),
        /** The reason in both languages a rep reads, as written in Odoo's breakdown. */
        reasons: Type.Optional(Type.Object({ en: Type.String(), ar: Type.String() })),
      }),
    ),
    userId: Type.Optional(OdooId),
    sourceEventId: NonEmpty,
  }),
)
