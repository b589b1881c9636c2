export { AnyEnvelope, EnvelopeAttributes, SPEC_VERSION, eventSchema } from './envelope.js'
export * from './events/common.js'
export * from './events/inbound.js'
export * from './events/lead.js'
export * from './events/notification.js'
export * from './events/slack.js'
export { EventSchemas, EventType, isEventType } from './registry.js'
export type { AnyEvent, DataOf, EventOf, EventTypeName } from './registry.js'
export { ContractError, encodeEvent, parseEvent, validateEvent, validateEventOf } from './validate.js'
export type { ParseResult } from './validate.js'
export { identifyEvent } from './identify.js'
export type { EventIdentity } from './identify.js'
export { createEvent } from './create.js'
export type { CreateEventInput } from './create.js'
export { DEFAULT_QUEUE_BOUND, DEFAULT_RETRY, EXCHANGE, HUB_TOPOLOGY } from './topology.js'
export type { ConsumerDeclaration, HubService, QueueBound, QueueType, RetryPolicy } from './topology.js'
export {
  GASSISTANT_SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  checkGAssistantSignature,
  parseGAssistantSignature,
  signGAssistant,
  signatureMac,
  verifyGAssistant,
} from './signature.js'
export type { GAssistantSignature, SignatureProblem } from './signature.js'
