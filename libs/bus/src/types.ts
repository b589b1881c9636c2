// The bus's public contract, shared by the RabbitMQ and the in-process transports.
// Must never depend on a transport: services are written against these types only.
import type { AnyEvent, EventTypeName } from '@gassistant/contracts'

/** What a handler decided; the bus alone turns it into ack, delayed retry or dead letter. */
export type Outcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string }

export const done: Outcome = Object.freeze({ kind: 'done' })
export const retry = (reason: string): Outcome => ({ kind: 'retry', reason })
export const park = (reason: string): Outcome => ({ kind: 'park', reason })

/**
 * An error a handler may throw instead of returning an outcome: `retryable` picks retry or park.
 * Any other thrown error counts as retryable (a bug or an outage, not bad data), so it is retried
 * and parked once retries are exhausted — never dropped.
 */
export interface ClassifiedError extends Error {
  readonly retryable: boolean
}

export interface DeliveryContext {
  /** 1 on first delivery, incremented by every retry. */
  readonly attempt: number
  /** The service (queue) this delivery belongs to. */
  readonly service: string
  /** Aborted when the bus is closing past its deadline: stop early if you can. */
  readonly signal: AbortSignal
}

export type Handler = (event: AnyEvent, ctx: DeliveryContext) => Promise<Outcome>

export interface RetryPolicy {
  /** Delay before each retry, in order; attempts = delays.length + 1. Default 1 s, 5 s, 30 s, 60 s, 60 s. */
  readonly delaysMs: readonly number[]
}

export interface SubscribeOptions {
  /** The consuming service: its queue is `<service>`, retries `<service>.retry.<ms>`, parked `<service>.dead`. */
  readonly service: string
  /** Routing patterns (topic syntax: `lead.*.v1`, `inbound.#`) or exact event types. */
  readonly bindings: readonly (EventTypeName | string)[]
  readonly handler: Handler
  /** Unacknowledged messages in flight per consumer. Default 10. */
  readonly prefetch?: number
  readonly retry?: RetryPolicy
}

export interface Subscription {
  /** Stops taking new messages; resolves when in-flight handlers finished. */
  cancel(): Promise<void>
}

/** A message parked on a service's dead-letter queue. */
export interface ParkedMessage {
  readonly eventId: string
  readonly type: string
  readonly reason: string
  readonly attempts: number
  readonly parkedAt: string
  /** The original body, undecoded, so an invalid message can be inspected too. */
  readonly body: Buffer
}

/** Operator functions behind `pnpm hub dead list|replay|purge <service>`. */
export interface DeadLetters {
  list(service: string, limit?: number): Promise<ParkedMessage[]>
  /** Moves parked messages back to the service's queue with a fresh attempt count. Returns how many. */
  replay(service: string, options?: { eventIds?: readonly string[] }): Promise<number>
  /** Deletes parked messages. Returns how many. */
  purge(service: string): Promise<number>
}

export interface Bus {
  /**
   * Resolves once the broker confirmed every event; rejects with BrokerUnavailableError when the broker
   * cannot be reached (fast, no waiting for a reconnect), PublishRejectedError on a nack,
   * PublishTimeoutError when no confirm came in time. Events are validated against their contract first.
   */
  publish(events: AnyEvent | readonly AnyEvent[]): Promise<void>
  subscribe(options: SubscribeOptions): Promise<Subscription>
  readonly deadLetters: DeadLetters
  /** Connected to the broker and topology declared. */
  isReady(): boolean
  /** Stops consuming, waits for in-flight handlers up to the deadline, then closes. */
  close(options?: { deadlineMs?: number }): Promise<void>
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ delaysMs: [1_000, 5_000, 30_000, 60_000, 60_000] })
export const DEFAULT_PREFETCH = 10
export const EXCHANGE = 'gassistant.events'
