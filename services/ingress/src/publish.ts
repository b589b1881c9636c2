// Turns accepted input into published events: builds each envelope, and resolves only when the broker
// confirmed all of them. The bus validates every event against its contract, once, before any is sent:
// an event the contract refuses is the sender's fault (400, never 500); broker trouble is a 503.
import type { Bus } from '@gassistant/bus'
import { ContractError, createEvent, type AnyEvent, type CreateEventInput, type EventTypeName } from '@gassistant/contracts'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { InvalidPayload, brokerUnavailable } from './errors.js'

export const SOURCE = '/ingress'

/** The 200 answer of every webhook: every event of the request is confirmed (n may be 0). */
export const Accepted = Type.Object({ received: Type.Literal(true), events: Type.Integer({ minimum: 0 }) })

export interface Publisher {
  /** Builds one event of this source (validated when published). */
  event<T extends EventTypeName>(input: Omit<CreateEventInput<T>, 'source' | 'time'>): AnyEvent
  /** Publishes and waits for every confirm; maps contract errors to 400 and bus failures to 503 with Retry-After. */
  publish(request: FastifyRequest, events: readonly AnyEvent[]): Promise<{ events: number }>
}

export interface PublisherDeps {
  bus: Bus
  clock: () => Date
  onPublished?: (events: readonly AnyEvent[]) => void
}

export function createPublisher({ bus, clock, onPublished }: PublisherDeps): Publisher {
  return {
    event(input) {
      return createEvent({ ...input, source: SOURCE, time: clock() } as CreateEventInput<typeof input.type>) as AnyEvent
    },
    async publish(request, events) {
      if (events.length === 0) {
        request.outcomeReason = 'no_events'
        return { events: 0 }
      }
      try {
        await bus.publish(events)
      } catch (error) {
        // The bus validated the whole batch before sending any of it: nothing was published.
        if (error instanceof ContractError) throw new InvalidPayload(`event ${error.message}`)
        // Every bus error is retryable from the sender's side: ids are deterministic, so a retry of a
        // partly published batch is harmless (consumers are idempotent).
        request.log.warn({ err_code: (error as { code?: string }).code, events: events.length }, 'publish failed')
        throw brokerUnavailable(error)
      }
      onPublished?.(events)
      // Logged on the request's one 'request completed' line: the first step of every event's journey (the
      // dashboard joins on these ids, which are also the events' correlation ids).
      request.eventIds = events.map((event) => event.id)
      return { events: events.length }
    },
  }
}

/** Meta/WhatsApp ids arrive as strings or (documented samples) numbers; big ones were kept as strings. */
export function idString(value: string | number): string {
  return typeof value === 'number' ? String(value) : value
}
