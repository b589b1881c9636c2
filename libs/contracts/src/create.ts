// Builds envelopes, so no publisher assembles CloudEvents attributes by hand.
import { randomUUID } from 'node:crypto'
import { SPEC_VERSION } from './envelope.js'
import type { DataOf, EventOf, EventTypeName } from './registry.js'
import { validateEventOf } from './validate.js'

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

/** Returns a valid event or throws ContractError naming the field: a publisher bug, never input. */
export function createEvent<T extends EventTypeName>(input: CreateEventInput<T>): EventOf<T> {
  const id = input.id ?? randomUUID()
  const event = {
    specversion: SPEC_VERSION,
    id,
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    correlationid: input.correlationId ?? id,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
    data: input.data,
  }
  const result = validateEventOf(input.type, event)
  if (!result.ok) throw result.error
  return result.event
}
