// The bus's public contract, shared by the RabbitMQ and the in-process transports.
// Must never depend on a transport: services are written against these types only.
import type { AnyEvent, EventTypeName, QueueBound, QueueType, RetryPolicy } from '@gassistant/contracts'
import type { Registry } from 'prom-client'

// Topology data lives with the contracts (HUB_TOPOLOGY); re-exported because subscriptions speak it.
export { DEFAULT_QUEUE_BOUND, DEFAULT_RETRY, EXCHANGE } from '@gassistant/contracts'
export type { QueueBound, QueueType, RetryPolicy } from '@gassistant/contracts'

/** What a handler decided; the bus alone turns it into ack, delayed retry, pause or dead letter. */
export type Outcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string }
  | {
      readonly kind: 'unavailable'
      /** A key of the subscription's `probes` (e.g. `odoo`, `graph`). */
      readonly dependency: string
      readonly reason: string
      /** When the dependency said when to come back (a rate limit's Retry-After). */
      readonly retryAfterMs?: number
    }

export const done: Outcome = Object.freeze({ kind: 'done' })
export const retry = (reason: string): Outcome => ({ kind: 'retry', reason })
export const park = (reason: string): Outcome => ({ kind: 'park', reason })
/**
 * A dependency is down: the message is kept without counting an attempt and the consumer pauses,
 * probing the dependency, until it answers again (see SubscribeOptions.probes).
 */
export const unavailable = (dependency: string, reason: string, retryAfterMs?: number): Outcome =>
  retryAfterMs === undefined ? { kind: 'unavailable', dependency, reason } : { kind: 'unavailable', dependency, reason, retryAfterMs }

/**
 * An error a handler may throw instead of returning an outcome: `retryable` picks retry or park.
 * Any other thrown error counts as retryable (a bug or an outage, not bad data), so it is retried
 * and parked once retries are exhausted — never dropped.
 */
export interface ClassifiedError extends Error {
  readonly retryable: boolean
}

/** A thrown error meaning the same as the `unavailable` outcome: a named dependency is down. */
export interface DependencyError extends Error {
  readonly retryable: true
  readonly dependency: string
  readonly retryAfterMs?: number
}

export interface DeliveryContext {
  /** 1 on first delivery, incremented by every retry; an `unavailable` outcome does not count. */
  readonly attempt: number
  /** The service (queue) this delivery belongs to. */
  readonly service: string
  /** Aborted when the bus is closing past its deadline: stop early if you can. */
  readonly signal: AbortSignal
}

export type Handler = (event: AnyEvent, ctx: DeliveryContext) => Promise<Outcome>

/**
 * One service's queues: what a subscription declares, and what a publisher may declare ahead of it.
 * A ConsumerDeclaration of HUB_TOPOLOGY (@gassistant/contracts) is one, so
 * `subscribe({ ...HUB_TOPOLOGY['lead-processor'], handler })` subscribes as declared.
 */
export interface QueueSpec {
  /** The consuming service: its queue is `<service>`, retries `<service>.retry.<ms>`, parked `<service>.dead`. */
  readonly service: string
  /** Routing patterns (topic syntax: `lead.*.v1`, `inbound.#`) or exact event types. */
  readonly bindings: readonly (EventTypeName | string)[]
  /** Merged over DEFAULT_RETRY. */
  readonly retry?: Partial<RetryPolicy>
  /** Default `quorum` (RabbitMQ ≥ 3.10); `classic` for older brokers. */
  readonly queueType?: QueueType
  /** Merged over DEFAULT_QUEUE_BOUND. */
  readonly bound?: Partial<QueueBound>
}

export interface SubscribeOptions extends QueueSpec {
  readonly handler: Handler
  /** Unacknowledged messages in flight per consumer. Default 10. */
  readonly prefetch?: number
  /**
   * A cheap check per dependency name, used while the consumer is paused by an `unavailable` outcome:
   * resolves when the dependency answers again, rejects while it is down. Bound its time (a client
   * timeout); the bus gives up on a probe after 10 s and counts it as failed.
   */
  readonly probes?: Readonly<Record<string, () => Promise<void>>>
  /** How often a paused consumer probes, jittered like retries. Default 5 000 ms. */
  readonly probeIntervalMs?: number
  /**
   * The service's Prometheus registry (e.g. `createMetrics(service).registry`): the subscription adds the
   * bus metrics to it, labelled with its queue. Default: none.
   */
  readonly metrics?: Registry
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

export const DEFAULT_PROBE_INTERVAL_MS = 5_000
export const DEFAULT_PREFETCH = 10
