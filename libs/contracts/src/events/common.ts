// Small schemas reused by several event types.
import Type from 'typebox'

export const NonEmpty = Type.String({ minLength: 1 })
/** Ids that Meta may send as JSON numbers beyond 2^53: the ingress keeps them as decimal strings. */
export const NumericId = Type.String({ pattern: '^[0-9]+$' })
export const OdooId = Type.Integer({ minimum: 1 })
export const IsoTime = Type.String({ format: 'date-time' })
export const Email = Type.String({ minLength: 3, maxLength: 254 })

export const Utm = Type.Object({
  source: Type.Optional(NonEmpty),
  medium: Type.Optional(NonEmpty),
  campaign: Type.Optional(NonEmpty),
  term: Type.Optional(NonEmpty),
  content: Type.Optional(NonEmpty),
})

export const OdooUserRef = Type.Object({
  id: OdooId,
  name: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
})

export const OdooNamedRef = Type.Object({ id: OdooId, name: Type.String() })

/** Where a lead came from; also the prefix of its external reference. */
export const LeadChannel = Type.Union([Type.Literal('meta'), Type.Literal('whatsapp'), Type.Literal('form')])
