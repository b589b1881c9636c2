// Who consumes what, declared once beside the event contracts: each consuming service with its
// bindings, retry policy, queue type and queue bound. Everything else derives from this table — what a
// publisher declares ahead of its consumers, what each service subscribes to, and the RabbitMQ
// definitions in deploy/rabbitmq/definitions.json (`pnpm topology:definitions`).
// Must never list a service that does not consume yet: its queue would only fill up.
import { EventType, type EventTypeName } from './registry.js'

/** The one durable topic exchange every event goes through; the routing key is the event type. */
export const EXCHANGE = 'gassistant.events'

export type QueueType = 'quorum' | 'classic'

export interface RetryPolicy {
  /** Delay before each retry, in order; the last one repeats until the budget is spent. Default 1 s, 5 s, 30 s, 60 s, 300 s. */
  readonly delaysMs: readonly number[]
  /** How long after its first failure a message may still be retried; past it, it is parked. Default 6 h. */
  readonly budgetMs: number
  /** Each delay varies by ± this fraction, so retries of one outage do not arrive together. Default 0.2. */
  readonly jitter: number
}

/**
 * How much a service's queue holds while its consumer is down. At the bound the broker refuses new
 * publishes (overflow `reject-publish`): the publisher's confirm is a nack, the ingress answers 503 and
 * the sender (Meta, the addon) retries later — instead of the disk filling until RabbitMQ blocks every
 * publisher of every service.
 */
export interface QueueBound {
  readonly maxLength: number
  readonly maxLengthBytes: number
}

export interface ConsumerDeclaration {
  /** Queue `<service>`, retry tiers `<service>.retry.<ms>`, parked messages `<service>.dead`. */
  readonly service: string
  readonly bindings: readonly EventTypeName[]
  readonly retry: RetryPolicy
  /** `quorum` (RabbitMQ ≥ 3.10, replicated) unless a broker cannot. */
  readonly queueType: QueueType
  readonly bound: QueueBound
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  delaysMs: Object.freeze([1_000, 5_000, 30_000, 60_000, 300_000]),
  budgetMs: 6 * 3_600_000,
  jitter: 0.2,
})

/**
 * 100 000 events or 256 MiB, whichever comes first: events are 1–3 KB, so a day of leads at several
 * per second fits while the disk alarm (2 GB free, deploy/rabbitmq/rabbitmq.conf) stays far away.
 */
export const DEFAULT_QUEUE_BOUND: QueueBound = Object.freeze({ maxLength: 100_000, maxLengthBytes: 256 * 1024 * 1024 })

function consumer<S extends string>(service: S, bindings: readonly EventTypeName[]): ConsumerDeclaration & { readonly service: S } {
  return Object.freeze({ service, bindings: Object.freeze([...bindings]), retry: DEFAULT_RETRY, queueType: 'quorum', bound: DEFAULT_QUEUE_BOUND })
}

/** The hub's consumers. A new service adds its line here when it starts consuming. */
export const HUB_TOPOLOGY = Object.freeze({
  // OdooLead: the lead-processor's conversion feedback to Meta (a Meta lead's stage → the Conversions API).
  'lead-processor': consumer('lead-processor', [EventType.MetaLeadgen, EventType.WhatsAppMessage, EventType.FormSubmitted, EventType.OdooLead]),
  scoring: consumer('scoring', [EventType.LeadSynced, EventType.WhatsAppMessage, EventType.OdooLead]),
  notifier: consumer('notifier', [EventType.NotificationRequested, EventType.SlackAction]),
  'workflow-rules': consumer('workflow-rules', [EventType.LeadSynced, EventType.LeadScored, EventType.OdooLead, EventType.OdooOrder]),
})

export type HubService = keyof typeof HUB_TOPOLOGY
