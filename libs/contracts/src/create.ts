// Builds envelopes, so no publisher assembles CloudEvents attributes by hand. Validation is the bus's:
// `bus.publish` checks every event against its contract once, whoever built it, so this must not.
import { randomUUID } from 'node:crypto'
import { SPEC_VERSION } from './envelope.js'
import type { DataOf, EventOf, EventTypeName } from './registry.js'

export interface CreateEventInput<T extends EventTypeName> {
  type: T
  source: string
  data: DataOf<T>
  /** Deterministic where the source gives an identity (`meta:<leadgen_id>`); random otherwise. */
  id?: string
  subject?: string
  correlationId?: string
  traceparent?: string
  time?: Date
}

/**
 * The envelope around `data`, typed but not validated: `bus.publish` validates it (ContractError naming
 * the field), and `validateEvent` does for anyone who needs to know sooner.
 */
export function createEvent<T extends EventTypeName>(input: CreateEventInput<T>): EventOf<T> {
  const id = input.id ?? randomUUID()
  // Assigned one by one rather than spread: this runs once per published event (the ingress's hot path).
  const event: Record<string, unknown> = {
    specversion: SPEC_VERSION,
    id,
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    correlationid: input.correlationId ?? id,
  }
  if (input.subject !== undefined) event.subject = input.subject
  if (input.traceparent !== undefined) event.traceparent = input.traceparent
  event.data = input.data
  return event as EventOf<T>
}
