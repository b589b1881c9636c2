// Turns accepted input into published events: builds each envelope through the contract (bad input →
// 400, never 500) and resolves only when the broker confirmed all of them (broker trouble → 503).
import type { Bus } from '@gassistant/bus'
import { ContractError, createEvent, type AnyEvent, type CreateEventInput, type EventTypeName } from '@gassistant/contracts'
import type { FastifyRequest } from 'fastify'
import { InvalidPayload, brokerUnavailable } from './errors.js'

export const SOURCE = '/ingress'

export interface Publisher {
  /** Validates one event against its contract; an invalid one is the sender's fault (400). */
  event<T extends EventTypeName>(input: Omit<CreateEventInput<T>, 'source' | 'time'>): AnyEvent
  /** Publishes and waits for every confirm; maps bus failures to 503 with Retry-After. */
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
      try {
        return createEvent({ ...input, source: SOURCE, time: clock() } as CreateEventInput<typeof input.type>) as AnyEvent
      } catch (error) {
        if (error instanceof ContractError) throw new InvalidPayload(`event ${error.field} ${error.message.slice(error.field.length + 1)}`)
        throw error
      }
    },
    async publish(request, events) {
      if (events.length === 0) {
        request.outcomeReason = 'no_events'
        return { events: 0 }
      }
      try {
        await bus.publish(events)
      } catch (error) {
        // Every bus error is retryable from the sender's side: ids are deterministic, so a retry of a
        // partly published batch is harmless (consumers are idempotent).
        request.log.warn({ err_code: (error as { code?: string }).code, events: events.length }, 'publish failed')
        throw brokerUnavailable(error)
      }
      onPublished?.(events)
      request.log.debug({ event_ids: events.map((event) => event.id) }, 'events published')
      return { events: events.length }
    },
  }
}

/** Meta/WhatsApp ids arrive as strings or (documented samples) numbers; big ones were kept as strings. */
export function idString(value: string | number): string {
  return typeof value === 'number' ? String(value) : value
}
