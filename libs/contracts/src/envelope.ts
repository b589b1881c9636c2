// The CloudEvents 1.0 structured-mode envelope every bus message is wrapped in.
// Must never know about a particular event type: those live in ./events.
import Type, { type Static, type TSchema } from 'typebox'

export const SPEC_VERSION = '1.0'

/** Envelope attributes shared by every event; `data` is added per type by `eventSchema`. */
export const EnvelopeAttributes = {
  specversion: Type.Literal(SPEC_VERSION),
  id: Type.String({ minLength: 1, maxLength: 512 }),
  source: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  time: Type.String({ format: 'date-time' }),
  subject: Type.Optional(Type.String({ minLength: 1 })),
  datacontenttype: Type.Literal('application/json'),
  correlationid: Type.Optional(Type.String({ minLength: 1 })),
  traceparent: Type.Optional(Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' })),
}

/**
 * A full envelope schema for one event type. Unknown attributes are allowed (CloudEvents extensions)
 * and kept: a consumer on an older contract must not reject an event a newer publisher enriched.
 */
export function eventSchema<Kind extends string, Data extends TSchema>(type: Kind, data: Data) {
  return Type.Object({ ...EnvelopeAttributes, type: Type.Literal(type), data }, { additionalProperties: true })
}

export const AnyEnvelope = Type.Object({ ...EnvelopeAttributes, data: Type.Unknown() }, { additionalProperties: true })
export type AnyEnvelope = Static<typeof AnyEnvelope>
